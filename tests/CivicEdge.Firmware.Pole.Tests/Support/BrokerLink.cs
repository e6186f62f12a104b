using System.Text;
using CivicEdge.Firmware.Core.Hal;
using CivicEdge.Firmware.Core.Uplink;

namespace CivicEdge.Firmware.Pole.Tests.Support;

/// <summary>The pole's IP link to a broker, in memory: records what it publishes and delivers what the fleet sends.</summary>
public sealed class BrokerLink : INetworkLink, IRequestLink
{
    private readonly Dictionary<string, object> _subscriptions = new(StringComparer.Ordinal);

    public bool IsConnected { get; private set; }

    public List<(string Topic, string Text, byte[]? Correlation)> Published { get; } = [];

    public bool Connect(string clientId, string userName, string password, string willTopic, byte[] willPayload)
    {
        IsConnected = true;
        return true;
    }

    public bool Publish(string topic, byte[] payload, bool retain) => Record(topic, payload, null);

    public bool PublishResponse(string topic, byte[] payload, byte[] correlationData) => Record(topic, payload, correlationData);

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

    public void Deliver(string topic, string json, string? responseTopic = null, byte[]? correlation = null)
    {
        var payload = Encoding.UTF8.GetBytes(json);
        switch (_subscriptions.GetValueOrDefault(topic))
        {
            case IRequestReceiver requests:
                requests.OnRequest(topic, payload, responseTopic!, correlation!);
                break;
            case IMessageReceiver receiver:
                receiver.OnMessage(topic, payload);
                break;
            default:
                throw new InvalidOperationException($"Nothing subscribed to {topic}");
        }
    }

    public IEnumerable<string> On(string topic) => Published.Where(p => p.Topic == topic).Select(p => p.Text);

    private bool Record(string topic, byte[] payload, byte[]? correlation)
    {
        if (!IsConnected)
            return false;
        Published.Add((topic, Encoding.UTF8.GetString(payload), correlation));
        return true;
    }
}
