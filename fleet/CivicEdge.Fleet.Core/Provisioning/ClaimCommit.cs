namespace CivicEdge.Fleet.Core.Provisioning;

/// <summary>What a store did with a claim: spent the token and moved the device together, or neither.</summary>
public enum ClaimCommit
{
    /// <summary>The token is spent for the device and the device is updated.</summary>
    Claimed,

    /// <summary>No such token.</summary>
    UnknownToken,

    /// <summary>The token expired.</summary>
    Expired,

    /// <summary>The token was already used (for this device, for a batch token).</summary>
    AlreadyUsed,

    /// <summary>The device changed since it was read (another request was faster).</summary>
    DeviceChanged,
}
