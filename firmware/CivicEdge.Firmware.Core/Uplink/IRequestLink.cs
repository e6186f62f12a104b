namespace CivicEdge.Firmware.Core.Uplink;

/// <summary>
/// What an MQTT 5 link adds to <see cref="Hal.INetworkLink"/> for request/response (MQTT 5.0 §4.10): requests arrive
/// with their response topic and correlation data, and a response carries the correlation data back. A link without it
/// still works: commands are answered on the contract's results topic, and the command id in the result correlates.
/// </summary>
public interface IRequestLink
{
    /// <summary>Subscribes at QoS 1; requests arrive through <see cref="IRequestReceiver"/>.</summary>
    bool SubscribeRequests(string topicFilter, IRequestReceiver receiver);

    /// <summary>Publishes a response at QoS 1 with the request's correlation data; false when it was not handed to the broker.</summary>
    bool PublishResponse(string topic, byte[] payload, byte[] correlationData);
}
