using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using CivicEdge.Fleet.Cli;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Ledger;
using MQTTnet;
using Spectre.Console.Testing;

namespace CivicEdge.Fleet.Server.Tests.Security;

/// <summary>
/// City scale with an external broker: <c>civic broker export-acl</c> writes the ledger as a real Mosquitto's password
/// and ACL files, and Mosquitto then holds the fleet's client and every device to what the embedded broker would.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class MosquittoExportTests
{
    [Test]
    public async Task Mosquitto_with_the_exported_files_admits_each_device_to_its_own_topics_only()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var token = timeout.Token;
        var port = FleetHost.FreeTcpPort();
        await using var fleet = new FleetHost(new Dictionary<string, string>
        {
            ["Fleet:Broker:Embedded"] = "false",
            ["Fleet:Broker:Port"] = port.ToString(CultureInfo.InvariantCulture),
            ["Fleet:Broker:MaxReconnectDelay"] = "00:00:00.500",
        });
        using var http = fleet.CreateClient();
        var gateway = await fleet.ProvisionAsync("mq-gw-1", token);
        var other = await fleet.ProvisionAsync("mq-gw-2", token);
        await RegisterAsync(http, "mq-meter-1", "mq-gw-1", token);
        var passwords = Path.Combine(fleet.DataDirectory, "mosquitto.passwd");
        var acl = Path.Combine(fleet.DataDirectory, "mosquitto.acl");

        var exit = await CivicAsync(fleet, token, "broker", "export-acl", "--password-file", passwords, "--acl-file", acl);
        await using var mosquitto = await MosquittoProcess.StartAsync(fleet.DataDirectory, port, passwords, acl, token);
        await WaitUntilHealthyAsync(http, mosquitto, token);

        Assert.That(exit, Is.Zero);
        if (!OperatingSystem.IsWindows())
            Assert.That(File.GetUnixFileMode(passwords), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite), "the hashes are for the broker's eyes only");

        await using (var device = await DeviceClient.AcceptedAsync(port, "mq-gw-1", "mq-gw-1", gateway, token))
        await using (var neighbour = await DeviceClient.AcceptedAsync(port, "mq-gw-2", "mq-gw-2", other, token))
        {
            Assert.That(await device.SubscribeAsync(Topics.Ack("mq-gw-1"), token), Is.EqualTo(MqttClientSubscribeResultCode.GrantedQoS1));
            Assert.That(await device.SubscribeAsync(Topics.Ack("mq-meter-1"), token), Is.EqualTo(MqttClientSubscribeResultCode.GrantedQoS1));
            await device.PublishAsync(Topics.Telemetry("mq-gw-1"), Batches.Of("mq-gw-1", "mq-gw-1-meter", 1), token);
            Assert.That((await device.NextAckAsync(Topics.Ack("mq-gw-1"), token)).Status, Is.EqualTo(AckStatus.Persisted), "through Mosquitto to the fleet and back");
            await device.PublishAsync(Topics.Telemetry("mq-meter-1"), Batches.Of("mq-meter-1", "mq-meter-1", 1), token);
            Assert.That((await device.NextAckAsync(Topics.Ack("mq-meter-1"), token)).Status, Is.EqualTo(AckStatus.Persisted), "for the meter behind it");

            var foreign = await device.PublishAsync(Topics.Telemetry("mq-gw-2"), Batches.Of("mq-gw-2", "mq-gw-2-meter", 1), token);
            var forged = await device.PublishTextAsync(Topics.Ack("mq-gw-1"), "{}", token);
            Assert.That((foreign.ReasonCode, forged.ReasonCode), Is.EqualTo((MqttClientPublishReasonCode.NotAuthorized, MqttClientPublishReasonCode.NotAuthorized)), mosquitto.Log);

            // Mosquitto grants any subscription and delivers only what the ACL lets the subscriber read.
            await device.SubscribeAsync(Topics.Ack("mq-gw-2"), token);
            await device.SubscribeAsync("civic/v1/+/ack", token);
            await neighbour.SubscribeAsync(Topics.Ack("mq-gw-2"), token);
            await neighbour.PublishAsync(Topics.Telemetry("mq-gw-2"), Batches.Of("mq-gw-2", "mq-gw-2-meter", 1), token);
            Assert.That((await neighbour.NextAckAsync(Topics.Ack("mq-gw-2"), token)).Status, Is.EqualTo(AckStatus.Persisted));
            Assert.That(await device.ReceivesWithinAsync(Topics.Ack("mq-gw-2"), TimeSpan.FromSeconds(1)), Is.False, "another gateway's acknowledgement never reaches it");
        }

        var (stolen, withOtherSecret) = await DeviceClient.ConnectAsync(port, "mq-gw-1", "mq-gw-1", other, token);
        await stolen.DisposeAsync();
        Assert.That(withOtherSecret, Is.Not.EqualTo(MqttClientConnectResultCode.Success));

        using var revoked = await http.PostAsJsonAsync(
            "/api/devices/mq-gw-2/credentials/revoke", new RevocationRequest { By = "test", Reason = "stolen" }, LedgerJson.Default.RevocationRequest, token);
        revoked.EnsureSuccessStatusCode();
        Assert.That(await CivicAsync(fleet, token, "broker", "export-acl", "--password-file", passwords, "--acl-file", acl), Is.Zero);
        await mosquitto.ReloadAsync(token);
        var (cut, afterRevocation) = await DeviceClient.ConnectAsync(port, "mq-gw-2", "mq-gw-2", other, token);
        await cut.DisposeAsync();
        Assert.That(afterRevocation, Is.Not.EqualTo(MqttClientConnectResultCode.Success), "re-exported and reloaded, the revoked device is out");
    }

    private static async Task<int> CivicAsync(FleetHost fleet, CancellationToken cancellationToken, params string[] args)
    {
        var console = new TestConsole().Width(200);
        var root = CivicCommandLine.Build(
            console,
            baseAddress => new HttpClient(fleet.Server.CreateHandler()) { BaseAddress = baseAddress },
            environment: name => name == CivicConfigFile.ApiKeyEnvironmentVariable ? FleetHost.AdminKey : Environment.GetEnvironmentVariable(name));
        var exit = await root.Parse(args).InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = TextWriter.Null, Error = TextWriter.Null }, cancellationToken);
        Assert.That(exit, Is.Zero, console.Output);
        return exit;
    }

    private static async Task RegisterAsync(HttpClient http, string code, string gateway, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(
            "/api/devices", new DeviceRegistration { Code = code, Kind = DeviceKind.EnergyMeter, Tenant = "test", Gateway = gateway, By = "test" }, LedgerJson.Default.DeviceRegistration, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The fleet's own client is in once /healthz says so: its exported user and hash work.</summary>
    private static async Task WaitUntilHealthyAsync(HttpClient http, MosquittoProcess mosquitto, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await http.GetAsync(new Uri("/healthz", UriKind.Relative), cancellationToken)).StatusCode != HttpStatusCode.OK)
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"the fleet's client did not get into Mosquitto:{Environment.NewLine}{mosquitto.Log}");
            await Task.Delay(50, cancellationToken);
        }
    }
}
