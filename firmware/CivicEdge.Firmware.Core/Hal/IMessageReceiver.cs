namespace CivicEdge.Firmware.Core.Hal;

/// <summary>Receives the messages of a subscription made through <see cref="INetworkLink"/>.</summary>
public interface IMessageReceiver
{
    /// <summary>One message; called on the link's receive thread, so implementations hand it to the main loop.</summary>
    void OnMessage(string topic, byte[] payload);
}
