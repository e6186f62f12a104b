namespace CivicEdge.Gateway.Ota;

/// <summary>What the gateway's configuration says of an offer's target: the device to update, or why there is none.</summary>
/// <param name="Target">The device, when the update can be fed to it.</param>
/// <param name="Refusal">Otherwise why not, for the fleet's <c>failed</c> report.</param>
public sealed record FieldUpdateTargetLookup(FieldUpdateTarget? Target, string? Refusal)
{
    public static FieldUpdateTargetLookup Found(FieldUpdateTarget target) => new(target, null);

    public static FieldUpdateTargetLookup Refused(string reason) => new(null, reason);
}
