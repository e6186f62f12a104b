using System.Collections.Concurrent;
using CivicEdge.Firmware.Core.Hal;
using CivicEdge.Firmware.Core.Uplink;

namespace CivicEdge.Firmware.Core.Tests.Support;

/// <summary>A real link with a record of every message the device handed to it, to see what was sent twice.</summary>
internal sealed class CountingLink(INetworkLink inner) : INetworkLink, IRequestLink
{
    public ConcurrentQueue<(string Topic, byte[] Payload)> Published { get; } = new();

    public bool IsConnected => inner.IsConnected;

    public bool Connect(string clientId, string userName, string password, string willTopic, byte[] willPayload) =>
        inner.Connect(clientId, userName, password, willTopic, willPayload);

    public bool Publish(string topic, byte[] payload, bool retain)
    {
        Published.Enqueue((topic, payload));
        return inner.Publish(topic, payload, retain);
    }

    public bool Subscribe(string topicFilter, IMessageReceiver receiver) => inner.Subscribe(topicFilter, receiver);

    public bool SubscribeRequests(string topicFilter, IRequestReceiver receiver) => ((IRequestLink)inner).SubscribeRequests(topicFilter, receiver);

    public bool PublishResponse(string topic, byte[] payload, byte[] correlationData) => ((IRequestLink)inner).PublishResponse(topic, payload, correlationData);

    public void Disconnect() => inner.Disconnect();
}
