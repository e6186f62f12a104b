namespace CivicEdge.Gateway.Storage;

/// <summary>
/// What happened when <see cref="GatewayDatabase"/> opened its file; anything but <see cref="DatabaseRecoveryKind.None"/>
/// is an error the gateway reports to the fleet.
/// </summary>
/// <param name="Kind">What was done.</param>
/// <param name="Detail">What was wrong, for people; empty when nothing was.</param>
/// <param name="MovedTo">Where the damaged file (or LiteDB's backup of it) now is; null when it stayed in place.</param>
/// <param name="At">When it was detected (UTC).</param>
/// <param name="SequenceFloor">
/// Sequence numbers continue above this value after a recovery: the fleet keeps the highest number it stored per
/// stream and would take lower ones for duplicates; 0 when no recovery took place.
/// </param>
public sealed record DatabaseRecovery(DatabaseRecoveryKind Kind, string Detail, string? MovedTo, DateTimeOffset At, long SequenceFloor)
{
    public static DatabaseRecovery None(DateTimeOffset at) => new(DatabaseRecoveryKind.None, string.Empty, null, at, 0);
}
