namespace CivicEdge.Firmware.Core.Boot;

/// <summary>
/// What an application does in safe mode: drive its outputs to the state that is safe without its logic (a pole's
/// lamp on at full light, a valve where it is), and stop acting on commands that would change them. It keeps
/// answering Modbus and MQTT, so that the fleet sees the device, diagnoses it and sends it an update.
/// </summary>
public interface IFailSafe
{
    /// <summary>Puts the outputs in their fail-safe state; called at boot in safe mode and again on every check.</summary>
    void HoldFailSafe();
}
