namespace CivicEdge.Gateway.Ota;

/// <summary>Maps an offer's target, a device id, to the configured device behind the gateway.</summary>
public interface IFieldUpdateTargets
{
    /// <summary>The device <paramref name="deviceId"/> names, or why an update cannot be fed to it.</summary>
    FieldUpdateTargetLookup Find(string deviceId);
}
