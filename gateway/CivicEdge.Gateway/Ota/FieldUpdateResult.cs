using CivicEdge.Fleet.Contracts.Ota;

namespace CivicEdge.Gateway.Ota;

/// <summary>How an update of one field device ended, and what it cost the bus.</summary>
/// <param name="Phase">Confirmed, failed or rolled back.</param>
/// <param name="RunningVersion">The version the device runs at the end, when it said.</param>
/// <param name="Reason">Why it failed or rolled back.</param>
/// <param name="ImageBytesSent">Image bytes written to the device, resent ones included.</param>
/// <param name="Transactions">Modbus transactions the update made.</param>
/// <param name="FailedTransactions">Of those, the ones that timed out, came back malformed or were refused.</param>
public sealed record FieldUpdateResult(
    OtaPhase Phase, string? RunningVersion, string? Reason, long ImageBytesSent, long Transactions, long FailedTransactions);
