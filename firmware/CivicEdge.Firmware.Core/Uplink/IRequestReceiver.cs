namespace CivicEdge.Firmware.Core.Uplink;

/// <summary>Receives the requests of a subscription made through <see cref="IRequestLink"/>.</summary>
public interface IRequestReceiver
{
    /// <summary>One request; called on the link's receive thread, so implementations hand it to the main loop.</summary>
    void OnRequest(string topic, byte[] payload, string responseTopic, byte[] correlationData);
}
