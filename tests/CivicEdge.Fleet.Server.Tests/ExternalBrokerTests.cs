using System.Net;
using CivicEdge.Fleet.Contracts;
using MQTTnet.Server;

namespace CivicEdge.Fleet.Server.Tests;

/// <summary>The fleet against a broker it does not run: the city-scale path, and what happens when that broker goes away.</summary>
[TestFixture]
[Category("Integration")]
public sealed class ExternalBrokerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task The_fleet_ingests_through_an_external_broker_and_reconnects_when_it_comes_back()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var port = FleetHost.FreeTcpPort();
        var broker = await StartBrokerAsync(port);
        await using var fleet = new FleetHost(new Dictionary<string, string>
        {
            ["Fleet:Broker:Embedded"] = "false",
            ["Fleet:Broker:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        await fleet.StartAsync(timeout.Token);
        using var http = fleet.CreateClient();

        await using (var gateway = await TestSource.ConnectAsync("gw-ext", port, timeout.Token))
        {
            await gateway.PublishAsync(Batch(1), timeout.Token);
            Assert.That((await gateway.NextAckAsync(timeout.Token)).Stored, Is.EqualTo(1));
        }

        await broker.StopAsync();
        broker.Dispose();
        await WaitForHealthAsync(http, HttpStatusCode.ServiceUnavailable, timeout.Token);

        using var restarted = await StartBrokerAsync(port);
        await WaitForHealthAsync(http, HttpStatusCode.OK, timeout.Token);
        await using (var gateway = await TestSource.ConnectAsync("gw-ext", port, timeout.Token))
        {
            await gateway.PublishAsync(Batch(2), timeout.Token);
            Assert.That((await gateway.NextAckAsync(timeout.Token)).Stored, Is.EqualTo(1));
        }
    }

    [Test]
    public async Task Health_is_503_while_the_broker_cannot_be_reached()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await using var fleet = new FleetHost(new Dictionary<string, string> { ["Fleet:Broker:Embedded"] = "false" });
        using var http = fleet.CreateClient();

        var response = await http.GetAsync(new Uri("/healthz", UriKind.Relative), timeout.Token);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
    }

    private static async Task<MqttServer> StartBrokerAsync(int port)
    {
        var options = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointPort(port)
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointBoundIPV6Address(IPAddress.None)
            .WithDefaultEndpointReuseAddress()
            .Build();
        var server = new MqttServerFactory().CreateMqttServer(options);
        await server.StartAsync();
        return server;
    }

    /// <summary>Polls /healthz: the fleet notices a lost broker and a returning one on its own schedule.</summary>
    private static async Task WaitForHealthAsync(HttpClient http, HttpStatusCode expected, CancellationToken cancellationToken)
    {
        while ((await http.GetAsync(new Uri("/healthz", UriKind.Relative), cancellationToken)).StatusCode != expected)
            await Task.Delay(50, cancellationToken);
    }

    private static TelemetryBatch Batch(long seq) =>
        new("gw-ext", Streams.Telemetry,
        [
            new TelemetryRecord(seq, "meter-ext", null, T0.AddSeconds(seq), [new PointValue("voltage_l1", 230, "V", "voltage", Quality.Good)]),
        ]);
}
