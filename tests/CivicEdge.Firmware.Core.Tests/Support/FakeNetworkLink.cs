using CivicEdge.Firmware.Core.Hal;
using CivicEdge.Firmware.Core.Uplink;

namespace CivicEdge.Firmware.Core.Tests.Support;

/// <summary>
/// A broker link that records what the device publishes and delivers what a test sends, as a broker would on the
/// link's thread. <see cref="Reachable"/> false refuses connections; <see cref="Drop"/> cuts the session.
/// </summary>
internal sealed class FakeNetworkLink : INetworkLink, IRequestLink
{
    private readonly Dictionary<string, object> _subscriptions = new(StringComparer.Ordinal);

    public bool Reachable { get; set; } = true;

    /// <summary>Publishes fail (the broker does not answer) while false.</summary>
    public bool Accepting { get; set; } = true;

    public bool IsConnected { get; private set; }

    public List<Published> Messages { get; } = [];

    public List<long> ConnectAttempts { get; } = [];

    public Func<long>? Uptime { get; set; }

    public string? WillTopic { get; private set; }

    public byte[]? WillPayload { get; private set; }

    public string? UserName { get; private set; }

    public string? Password { get; private set; }

    public bool Connect(string clientId, string userName, string password, string willTopic, byte[] willPayload)
    {
        ConnectAttempts.Add(Uptime?.Invoke() ?? 0);
        if (!Reachable)
            return false;
        IsConnected = true;
        UserName = userName;
        Password = password;
        WillTopic = willTopic;
        WillPayload = willPayload;
        _subscriptions.Clear();
        return true;
    }

    public bool Publish(string topic, byte[] payload, bool retain) => Record(topic, payload, retain, null);

    public bool PublishResponse(string topic, byte[] payload, byte[] correlationData) => Record(topic, payload, false, correlationData);

    public bool Subscribe(string topicFilter, IMessageReceiver receiver)
    {
        _subscriptions[topicFilter] = receiver;
        return IsConnected;
    }

    public bool SubscribeRequests(string topicFilter, IRequestReceiver receiver)
    {
        _subscriptions[topicFilter] = receiver;
        return IsConnected;
    }

    public void Disconnect() => IsConnected = false;

    /// <summary>The broker or the network went away without a clean disconnect.</summary>
    public void Drop() => IsConnected = false;

    /// <summary>Delivers a message on <paramref name="topic"/> to its subscriber, as the broker would.</summary>
    public void Deliver(string topic, string json, string? responseTopic = null, byte[]? correlationData = null)
    {
        var payload = System.Text.Encoding.UTF8.GetBytes(json);
        switch (_subscriptions.GetValueOrDefault(topic))
        {
            case IRequestReceiver requests:
                requests.OnRequest(topic, payload, responseTopic!, correlationData!);
                break;
            case IMessageReceiver receiver:
                receiver.OnMessage(topic, payload);
                break;
            default:
                throw new InvalidOperationException($"Nothing subscribed to {topic}; subscriptions: {string.Join(", ", _subscriptions.Keys)}");
        }
    }

    public IEnumerable<Published> On(string topic) => Messages.Where(m => m.Topic == topic);

    private bool Record(string topic, byte[] payload, bool retain, byte[]? correlationData)
    {
        if (!IsConnected || !Accepting)
            return false;
        Messages.Add(new Published(topic, payload, retain, correlationData));
        return true;
    }

    internal sealed record Published(string Topic, byte[] Payload, bool Retain, byte[]? CorrelationData)
    {
        public string Text => System.Text.Encoding.UTF8.GetString(Payload);
    }
}
