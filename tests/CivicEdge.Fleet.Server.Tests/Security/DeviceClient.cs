using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using CivicEdge.Fleet.Contracts;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace CivicEdge.Fleet.Server.Tests.Security;

/// <summary>A device's MQTT 5 client, as a test drives it: connect, publish, subscribe, read what arrives, notice being cut.</summary>
internal sealed class DeviceClient : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly Channel<MqttApplicationMessage> _received = Channel.CreateUnbounded<MqttApplicationMessage>();
    private readonly TaskCompletionSource<MqttClientDisconnectedEventArgs> _disconnected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private DeviceClient()
    {
        _client.ApplicationMessageReceivedAsync += args =>
        {
            _received.Writer.TryWrite(args.ApplicationMessage);
            return Task.CompletedTask;
        };
        _client.DisconnectedAsync += args =>
        {
            if (args.ClientWasConnected)
                _disconnected.TrySetResult(args);
            return Task.CompletedTask;
        };
    }

    public bool IsConnected => _client.IsConnected;

    /// <summary>Completes when the broker ends a session that was established.</summary>
    public Task<MqttClientDisconnectedEventArgs> Disconnected => _disconnected.Task;

    /// <summary>Connects; the result code says whether the broker accepted (the client is connected only then).</summary>
    public static async Task<(DeviceClient Client, MqttClientConnectResultCode Result)> ConnectAsync(
        int port, string clientId, string? userName, string? password, CancellationToken cancellationToken, Action<MqttClientOptionsBuilder>? configure = null)
    {
        var device = new DeviceClient();
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(clientId)
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (userName is not null)
            options.WithCredentials(userName, password);
        configure?.Invoke(options);
        var result = await device._client.ConnectAsync(options.Build(), cancellationToken);
        return (device, result.ResultCode);
    }

    /// <summary>Connects and fails the test unless the broker accepts.</summary>
    public static async Task<DeviceClient> AcceptedAsync(
        int port, string clientId, string userName, string? password, CancellationToken cancellationToken, Action<MqttClientOptionsBuilder>? configure = null)
    {
        var (client, result) = await ConnectAsync(port, clientId, userName, password, cancellationToken, configure);
        Assert.That(result, Is.EqualTo(MqttClientConnectResultCode.Success), $"{clientId} as {userName}");
        return client;
    }

    public Task<MqttClientPublishResult> PublishAsync(string topic, byte[] payload, CancellationToken cancellationToken) =>
        _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken);

    public Task<MqttClientPublishResult> PublishAsync(string topic, TelemetryBatch batch, CancellationToken cancellationToken) =>
        PublishAsync(topic, JsonSerializer.SerializeToUtf8Bytes(batch, ContractsJson.Default.TelemetryBatch), cancellationToken);

    public Task<MqttClientPublishResult> PublishTextAsync(string topic, string text, CancellationToken cancellationToken) =>
        PublishAsync(topic, Encoding.UTF8.GetBytes(text), cancellationToken);

    public async Task<MqttClientSubscribeResultCode> SubscribeAsync(string filter, CancellationToken cancellationToken)
    {
        var result = await _client.SubscribeAsync(
            new MqttClientSubscribeOptionsBuilder().WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken);
        return result.Items.Single().ResultCode;
    }

    /// <summary>The next message that arrives on <paramref name="topic"/>.</summary>
    public async Task<MqttApplicationMessage> NextAsync(string topic, CancellationToken cancellationToken)
    {
        while (true)
        {
            var message = await _received.Reader.ReadAsync(cancellationToken);
            if (message.Topic == topic)
                return message;
        }
    }

    /// <summary>The next acknowledgement on <paramref name="topic"/>.</summary>
    public async Task<DeliveryAck> NextAckAsync(string topic, CancellationToken cancellationToken) =>
        JsonSerializer.Deserialize(System.Buffers.BuffersExtensions.ToArray((await NextAsync(topic, cancellationToken)).Payload), ContractsJson.Default.DeliveryAck)!;

    /// <summary>Whether anything arrives on <paramref name="topic"/> within <paramref name="wait"/>.</summary>
    public async Task<bool> ReceivesWithinAsync(string topic, TimeSpan wait)
    {
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            await NextAsync(topic, timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Drops the connection without a DISCONNECT, as a device losing power would: the broker publishes its last will.</summary>
    public void Drop() => _client.Dispose();

    public async ValueTask DisposeAsync()
    {
        await _client.TryDisconnectAsync();
        _client.Dispose();
    }
}
