namespace CivicEdge.Fleet.Core.Security;

/// <summary>The broker's answer to a connection: the fleet itself, a device, or a refusal with its reason.</summary>
public sealed record ConnectDecision
{
    private ConnectDecision(bool isFleet, DeviceIdentity? device, ConnectRefusal? refusal, string detail)
    {
        IsFleet = isFleet;
        Device = device;
        Refusal = refusal;
        Detail = detail;
    }

    /// <summary>The fleet's own client, which may publish and subscribe everywhere.</summary>
    public bool IsFleet { get; }

    /// <summary>The device, when a device authenticated.</summary>
    public DeviceIdentity? Device { get; }

    /// <summary>Why the connection is refused; null when accepted.</summary>
    public ConnectRefusal? Refusal { get; }

    /// <summary>What happened, for the log (never a secret).</summary>
    public string Detail { get; }

    public bool Accepted => Refusal is null;

    public static ConnectDecision Fleet() => new(true, null, null, "the fleet's own client");

    public static ConnectDecision For(DeviceIdentity device) =>
        new(false, device ?? throw new ArgumentNullException(nameof(device)), null, $"device {device.Code} with credential {device.CredentialId}");

    public static ConnectDecision Refuse(ConnectRefusal refusal, string detail) => new(false, null, refusal, detail);
}
