namespace CivicEdge.Fleet.Contracts.Ledger;

/// <summary>
/// Another device already senses the same thing nearby (FR-04: the plans forbid deploying the same sensing twice in one
/// area). A warning, not a refusal: the operator decides.
/// </summary>
/// <param name="Capability">The capability both have.</param>
/// <param name="Device">The other device's code.</param>
/// <param name="Tenant">The other device's owner.</param>
/// <param name="DistanceMetres">How far apart they are (great-circle distance).</param>
/// <param name="Message">The warning in words.</param>
public sealed record DuplicateWarning(string Capability, string Device, string Tenant, double DistanceMetres, string Message);
