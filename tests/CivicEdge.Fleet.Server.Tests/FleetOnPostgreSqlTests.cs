using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Access;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Storage.PostgreSql.Tests;
using MQTTnet.Server;

namespace CivicEdge.Fleet.Server.Tests;

/// <summary>
/// The city-scale deployment in one process: fleet nodes on one PostgreSQL database behind one external MQTT broker.
/// Without a shared subscription every node receives every batch, so each batch is stored by two nodes at once: the
/// database's stream watermark must keep every record exactly once.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed partial class FleetOnPostgreSqlTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private PostgreSqlCluster _cluster = null!;
    private string _database = null!;

    [OneTimeSetUp]
    public async Task StartPostgreSql()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        _cluster = await PostgreSqlCluster.StartAsync(durable: false, timeout.Token);
        _database = await _cluster.CreateDatabaseAsync("fleet", timeout.Token);
    }

    [OneTimeTearDown]
    public async Task StopPostgreSql() => await _cluster.DisposeAsync();

    [Test]
    public async Task Two_nodes_sharing_the_database_and_the_broker_store_every_record_once_and_both_answer_queries()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var port = FleetHost.FreeTcpPort();
        using var broker = new MqttServerFactory().CreateMqttServer(new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointPort(port)
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointBoundIPV6Address(IPAddress.None)
            .Build());
        await broker.StartAsync();
        await using var first = Node("node-a", port);
        await using var second = Node("node-b", port);
        await Task.WhenAll(first.StartAsync(timeout.Token), second.StartAsync(timeout.Token));

        await using var gateway = await TestSource.ConnectAsync("gw-pg", port, timeout.Token);
        var stored = 0;
        var duplicates = 0;
        for (var first5 = 1; first5 <= 100; first5 += 5)
        {
            // Every batch also goes twice, as a gateway resends one whose ack it missed.
            var batch = Batch(first5, first5 + 4);
            await gateway.PublishAsync(batch, timeout.Token);
            await gateway.PublishAsync(batch, timeout.Token);
            for (var ack = 0; ack < 4; ack++)
            {
                var answer = await gateway.NextAckAsync(timeout.Token);
                Assert.That(answer.Status, Is.EqualTo(AckStatus.Persisted));
                stored += answer.Stored;
                duplicates += answer.Duplicates;
            }
        }

        using var http = second.CreateClient();
        var device = await http.GetFromJsonAsync("/api/devices/meter-pg", ContractsJson.Default.DeviceSummary, timeout.Token);
        var hourly = await http.GetFromJsonAsync(
            $"/api/devices/meter-pg/telemetry?interval=1h&aggregate=count,last&from={Uri.EscapeDataString(T0.ToString("O"))}&to={Uri.EscapeDataString(T0.AddHours(1).ToString("O"))}",
            ContractsJson.Default.AggregatedTelemetry,
            timeout.Token);
        Assert.That((stored, duplicates), Is.EqualTo((100, 300)));
        Assert.That(device!.Readings, Is.EqualTo(100));
        Assert.That(hourly!.Series.Single().Buckets.Single(), Is.EqualTo(new TelemetryBucket(T0, 100, null, null, null, 330)));
    }

    [Test]
    public async Task The_fleet_process_keeps_ledger_credentials_keys_and_audit_log_in_postgresql_and_a_restart_finds_them()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var directory = Directory.CreateTempSubdirectory("civicedge-fleet-pg-process-").FullName;
        var database = await _cluster.CreateDatabaseAsync("process", timeout.Token);
        try
        {
            var mqttPort = FleetHost.FreeTcpPort();
            string[] args =
            [
                "--Fleet:Storage:Provider=postgresql",
                $"--Fleet:Storage:ConnectionString={_cluster.ConnectionString(database)}",
                $"--Fleet:Access:BootstrapKey={FleetHost.AdminKey}",
                "--Fleet:Ledger:CodeScheme=topic-level",
                "--Fleet:Security:HashIterations=1000",
                "--mqtt-port", mqttPort.ToString(CultureInfo.InvariantCulture),
                "--urls", "http://127.0.0.1:0",
            ];

            string secret;
            await using (var fleet = FleetProcess.Start(directory, args))
            {
                using var http = await ConnectAsync(fleet, timeout.Token);
                using var registered = await http.PostAsJsonAsync(
                    "/api/devices", new DeviceRegistration { Code = "gw-pg-1", Kind = DeviceKind.Gateway, Tenant = "water" }, LedgerJson.Default.DeviceRegistration, timeout.Token);
                Assert.That(registered.StatusCode, Is.EqualTo(HttpStatusCode.Created), await registered.Content.ReadAsStringAsync(timeout.Token));
                using var issued = await http.PostAsJsonAsync(
                    "/api/devices/gw-pg-1/credentials", new CredentialRequest(), LedgerJson.Default.CredentialRequest, timeout.Token);
                Assert.That(issued.StatusCode, Is.EqualTo(HttpStatusCode.Created), await issued.Content.ReadAsStringAsync(timeout.Token));
                secret = (await issued.Content.ReadFromJsonAsync(LedgerJson.Default.IssuedCredential, timeout.Token))!.Secret!;
            }

            // A second start on the same database: nothing of the ledger, keys or audit log lived in the node.
            await using (var again = FleetProcess.Start(directory, args))
            {
                using var http = await ConnectAsync(again, timeout.Token);
                var audit = await http.GetFromJsonAsync("/api/audit?target=gw-pg-1", AccessJson.Default.IReadOnlyListAuditEntry, timeout.Token);
                var device = await http.GetFromJsonAsync("/api/devices/gw-pg-1", LedgerJson.Default.DeviceDetails, timeout.Token);
                await using var gateway = await TestSource.ConnectAsync("gw-pg-1", mqttPort, timeout.Token, "gw-pg-1", secret);

                Assert.That(audit!.Select(entry => (entry.Action, entry.Outcome, entry.Tenant)), Is.EqualTo(new[]
                {
                    ("device.register", AuditOutcome.Succeeded, "water"),
                    ("credential.issue", AuditOutcome.Succeeded, "water"),
                }));
                Assert.That(audit!.Select(entry => entry.Actor), Is.All.EqualTo("key:testadmin0 (bootstrap)"));
                Assert.That((device!.Ledger!.Tenant, device.Credentials.Single().Active), Is.EqualTo(("water", true)));
            }

            Assert.That(Directory.EnumerateFiles(directory, "*.db", SearchOption.AllDirectories), Is.Empty, "no LiteDB file: every store is on PostgreSQL");
        }
        finally
        {
            await _cluster.DropDatabaseAsync(database, CancellationToken.None);
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>An admin's client of the process's REST API, once its ready line names the address.</summary>
    private static async Task<HttpClient> ConnectAsync(FleetProcess fleet, CancellationToken cancellationToken)
    {
        var ready = await fleet.FirstLineAsync(line => line.StartsWith("civicedge-fleet ready", StringComparison.Ordinal), cancellationToken);
        var match = ReadyLine().Match(ready ?? string.Empty);
        Assert.That(match.Success, Is.True, $"ready line: {ready}; stderr: {fleet.StandardError}");
        var http = new HttpClient { BaseAddress = new Uri(match.Groups["http"].Value) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", FleetHost.AdminKey);
        return http;
    }

    [GeneratedRegex(@"^civicedge-fleet ready http=(?<http>http://127\.0\.0\.1:[1-9][0-9]*) mqtt=(?<mqtt>\S+)$")]
    private static partial Regex ReadyLine();

    private FleetHost Node(string clientId, int brokerPort) => new(new Dictionary<string, string>
    {
        ["Fleet:Broker:Embedded"] = "false",
        ["Fleet:Broker:Port"] = brokerPort.ToString(CultureInfo.InvariantCulture),
        ["Fleet:Broker:ClientId"] = clientId,
        ["Fleet:Storage:Provider"] = "postgresql",
        ["Fleet:Storage:ConnectionString"] = _cluster.ConnectionString(_database),
    });

    private static TelemetryBatch Batch(long first, long last) =>
        new("gw-pg", Streams.Telemetry, [.. Enumerable.Range((int)first, (int)(last - first + 1)).Select(seq =>
            new TelemetryRecord(seq, "meter-pg", "eastron-sdm630", T0.AddSeconds(seq), [new PointValue("voltage_l1", 230 + seq, "V", "voltage", Quality.Good)]))]);
}
