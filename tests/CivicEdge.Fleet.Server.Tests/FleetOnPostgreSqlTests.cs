using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using CivicEdge.Fleet.Contracts;
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
public sealed class FleetOnPostgreSqlTests
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
