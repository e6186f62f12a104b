using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using CivicEdge.Fleet.Contracts;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace CivicEdge.Simulators.Tests.Load;

/// <summary>
/// A broker on a free loopback port and a fleet behind it that answers every telemetry batch on the ack topic as
/// persisted (the first time it sees each record) or duplicate, and records what it received. It can leave the first
/// copy of every batch unanswered, as an acknowledgement lost on the way.
/// </summary>
internal sealed class AckingFleet : IAsyncDisposable
{
    private readonly MqttServer _broker;
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly ConcurrentDictionary<string, long> _watermarks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Source, long FirstSeq), int> _seen = new();

    private AckingFleet(MqttServer broker, int port)
    {
        _broker = broker;
        Port = port;
    }

    public int Port { get; }

    public bool IgnoreFirstCopy { get; init; }

    /// <summary>Every batch received, in the order received.</summary>
    public ConcurrentQueue<TelemetryBatch> Batches { get; } = new();

    public static async Task<AckingFleet> StartAsync(bool ignoreFirstCopy = false)
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        var broker = new MqttServerFactory().CreateMqttServer(new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointPort(port)
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointBoundIPV6Address(IPAddress.None)
            .Build());
        await broker.StartAsync();
        var fleet = new AckingFleet(broker, port) { IgnoreFirstCopy = ignoreFirstCopy };
        fleet._client.ApplicationMessageReceivedAsync += fleet.OnBatchAsync;
        await fleet._client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId("acking-fleet")
            .Build());
        await fleet._client.SubscribeAsync(Topics.AllTelemetry, MqttQualityOfServiceLevel.AtLeastOnce);
        return fleet;
    }

    public async ValueTask DisposeAsync()
    {
        await _client.TryDisconnectAsync();
        _client.Dispose();
        await _broker.StopAsync();
        _broker.Dispose();
    }

    private async Task OnBatchAsync(MqttApplicationMessageReceivedEventArgs args)
    {
        var reader = new Utf8JsonReader(args.ApplicationMessage.Payload);
        var batch = JsonSerializer.Deserialize(ref reader, ContractsJson.Default.TelemetryBatch)!;
        Batches.Enqueue(batch);
        var first = batch.Records[0].Seq;
        var last = batch.Records[^1].Seq;
        if (_seen.AddOrUpdate((batch.Source, first), 1, (_, copies) => copies + 1) == 1 && IgnoreFirstCopy)
            return;

        var watermark = _watermarks.GetOrAdd(batch.Source, 0);
        var stored = batch.Records.Count(record => record.Seq > watermark);
        _watermarks[batch.Source] = Math.Max(watermark, last);
        var ack = new DeliveryAck(batch.Stream, first, last, AckStatus.Persisted, stored, batch.Records.Count - stored);
        await _client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(Topics.Ack(batch.Source))
            .WithPayload(JsonSerializer.SerializeToUtf8Bytes(ack, ContractsJson.Default.DeliveryAck))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithCorrelationData(args.ApplicationMessage.CorrelationData)
            .Build());
    }
}
