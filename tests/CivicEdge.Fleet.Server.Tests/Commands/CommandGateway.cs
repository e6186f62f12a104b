using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Commands;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace CivicEdge.Fleet.Server.Tests.Commands;

/// <summary>
/// A gateway as the fleet's commands see it: connects with its credentials, announces itself online, subscribes to its
/// command topic, and hands each request (with its MQTT 5 response topic and correlation data) to the test to answer.
/// </summary>
internal sealed class CommandGateway : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly Channel<ReceivedCommand> _requests = Channel.CreateUnbounded<ReceivedCommand>();

    private CommandGateway(string code) => Code = code;

    public string Code { get; }

    public static async Task<CommandGateway> ConnectAsync(FleetHost fleet, string code, string secret, CancellationToken cancellationToken)
    {
        var gateway = new CommandGateway(code);
        gateway._client.ApplicationMessageReceivedAsync += args =>
        {
            var message = args.ApplicationMessage;
            var request = JsonSerializer.Deserialize(message.Payload.ToArray(), CommandsJson.Default.CommandRequest)!;
            gateway._requests.Writer.TryWrite(new ReceivedCommand(request, message.ResponseTopic, message.CorrelationData, message.MessageExpiryInterval));
            return Task.CompletedTask;
        };
        await gateway._client.ConnectAsync(
            new MqttClientOptionsBuilder()
                .WithTcpServer("127.0.0.1", fleet.MqttPort)
                .WithProtocolVersion(MqttProtocolVersion.V500)
                .WithClientId($"{code}/test")
                .WithCredentials(code, secret)
                .Build(),
            cancellationToken);

        // As the gateway does: online first, then its subscriptions, then its first message.
        await gateway.PublishAsync(Topics.State(code), JsonSerializer.SerializeToUtf8Bytes(new SourceState(code, true, "test", DateTimeOffset.UtcNow), ContractsJson.Default.SourceState), cancellationToken, retain: true);
        await gateway._client.SubscribeAsync(Topics.Commands(code), MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken);
        await gateway.PublishAsync(Topics.Health(code), Encoding.UTF8.GetBytes("{}"), cancellationToken);
        return gateway;
    }

    /// <summary>The next command the fleet sent.</summary>
    public Task<ReceivedCommand> NextAsync(CancellationToken cancellationToken) => _requests.Reader.ReadAsync(cancellationToken).AsTask();

    /// <summary>True when a command is waiting to be read.</summary>
    public bool HasPending => _requests.Reader.TryPeek(out _);

    /// <summary>Answers <paramref name="command"/> on its response topic with its correlation data.</summary>
    public Task AnswerAsync(ReceivedCommand command, CommandStatus status, string? reason, string? resultJson, CancellationToken cancellationToken, string? topic = null)
    {
        JsonElement? result = null;
        if (resultJson is not null)
        {
            using var document = JsonDocument.Parse(resultJson);
            result = document.RootElement.Clone();
        }

        var answer = new CommandResult(command.Request.Id, command.Request.Target, status, reason, result, DateTimeOffset.UtcNow);
        return PublishAsync(
            topic ?? command.ResponseTopic!,
            JsonSerializer.SerializeToUtf8Bytes(answer, CommandsJson.Default.CommandResult),
            cancellationToken,
            correlationData: command.CorrelationData);
    }

    public async Task PublishAsync(string topic, byte[] payload, CancellationToken cancellationToken, bool retain = false, byte[]? correlationData = null)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithRetainFlag(retain)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        if (correlationData is not null)
            message.WithCorrelationData(correlationData);
        var published = await _client.PublishAsync(message.Build(), cancellationToken);
        if (!published.IsSuccess)
            throw new InvalidOperationException($"The broker refused {topic}: {published.ReasonCode}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build());
        _client.Dispose();
    }
}
