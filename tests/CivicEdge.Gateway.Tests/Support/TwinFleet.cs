using System.Text.Json;
using System.Threading.Channels;
using CivicEdge.Fleet.Contracts;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace CivicEdge.Gateway.Tests.Support;

/// <summary>The fleet's end of the twin and health topics over a real broker: it publishes desired states and reads what gateways report.</summary>
internal sealed class TwinFleet : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly Channel<ReportedState> _reported = Channel.CreateUnbounded<ReportedState>();
    private readonly Channel<HealthReport> _health = Channel.CreateUnbounded<HealthReport>();

    private TwinFleet()
    {
        _client.ApplicationMessageReceivedAsync += args =>
        {
            var message = args.ApplicationMessage;
            if (message.Payload.IsEmpty || !Topics.TryParse(message.Topic, out _, out var kind))
                return Task.CompletedTask;
            var reader = new Utf8JsonReader(message.Payload);
            if ("/" + kind == Topics.ReportedSuffix)
                _reported.Writer.TryWrite(JsonSerializer.Deserialize(ref reader, ContractsJson.Default.ReportedState)!);
            else if ("/" + kind == Topics.HealthSuffix)
                _health.Writer.TryWrite(JsonSerializer.Deserialize(ref reader, ContractsJson.Default.HealthReport)!);
            return Task.CompletedTask;
        };
    }

    public static async Task<TwinFleet> ConnectAsync(int port)
    {
        var fleet = new TwinFleet();
        await fleet._client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId("twin-fleet-" + Guid.NewGuid().ToString("N"))
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .Build());
        await fleet._client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(Topics.AllReported, MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(Topics.AllHealth, MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
        return fleet;
    }

    public Task PublishDesiredAsync(string gatewayId, DesiredState state) =>
        PublishDesiredAsync(gatewayId, JsonSerializer.SerializeToUtf8Bytes(state, ContractsJson.Default.DesiredState));

    public async Task PublishDesiredAsync(string gatewayId, byte[] payload) =>
        await _client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(Topics.Desired(gatewayId))
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(true)
            .Build());

    /// <summary>The next reported state that satisfies <paramref name="condition"/>; earlier ones are skipped.</summary>
    public async Task<ReportedState> NextReportedAsync(Func<ReportedState, bool> condition)
    {
        using var timeout = new CancellationTokenSource(Wait.Limit);
        while (true)
        {
            var state = await _reported.Reader.ReadAsync(timeout.Token);
            if (condition(state))
                return state;
        }
    }

    public Task<HealthReport> NextHealthAsync() => _health.Reader.ReadAsync().AsTask().WaitAsync(Wait.Limit);

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build());
        _client.Dispose();
    }
}
