using CivicEdge.Fleet.Contracts.Ledger;

namespace CivicEdge.Fleet.Contracts.Commands;

/// <summary>Targets chosen from the ledger: every device matching all the filters given (and in service or commissioned).</summary>
/// <param name="Tenant">Devices of this tenant.</param>
/// <param name="District">Devices in this district (compared without regard to case).</param>
/// <param name="Kind">Devices of this kind.</param>
/// <param name="Tags">Devices carrying every one of these tags.</param>
public sealed record CommandTargetQuery(string? Tenant, string? District, DeviceKind? Kind, IReadOnlyList<string>? Tags);
