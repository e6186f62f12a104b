namespace CivicEdge.Firmware.Core.Hal;

/// <summary>
/// The device's own IP link to an MQTT broker (Wi-Fi, Ethernet, NB-IoT/LTE-M modem), for devices that speak the fleet's
/// MQTT contract directly instead of answering a gateway. The driver owns connecting, TLS and keep-alive.
/// </summary>
public interface INetworkLink
{
    /// <summary>Whether a session with the broker is up.</summary>
    bool IsConnected { get; }

    /// <summary>
    /// Connects with the device's credentials and a last-will message; false when the broker cannot be reached or
    /// refuses.
    /// </summary>
    bool Connect(string clientId, string userName, string password, string willTopic, byte[] willPayload);

    /// <summary>Publishes at QoS 1; false when the message was not handed to the broker (the caller keeps it).</summary>
    bool Publish(string topic, byte[] payload, bool retain);

    /// <summary>Subscribes at QoS 1; messages arrive through <see cref="IMessageReceiver"/>.</summary>
    bool Subscribe(string topicFilter, IMessageReceiver receiver);

    /// <summary>Ends the session cleanly (no last will).</summary>
    void Disconnect();
}
