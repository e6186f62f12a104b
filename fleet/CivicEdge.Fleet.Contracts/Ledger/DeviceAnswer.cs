namespace CivicEdge.Fleet.Contracts.Ledger;

/// <summary>The ledger's answer to a registration or a change: the device as stored and any warnings.</summary>
public sealed record DeviceAnswer(LedgerDevice Device, IReadOnlyList<DuplicateWarning> Warnings);
