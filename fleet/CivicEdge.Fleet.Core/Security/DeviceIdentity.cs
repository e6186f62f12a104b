using CivicEdge.Fleet.Contracts.Ledger;

namespace CivicEdge.Fleet.Core.Security;

/// <summary>Who a broker session belongs to, once authenticated.</summary>
/// <param name="Code">The device code.</param>
/// <param name="Kind">What the device is.</param>
/// <param name="CredentialId">The credential it authenticated with.</param>
/// <param name="ValidUntil">When that credential stops being valid; the session is cut then.</param>
public sealed record DeviceIdentity(string Code, DeviceKind Kind, string CredentialId, DateTimeOffset? ValidUntil);
