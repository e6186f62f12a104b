namespace CivicEdge.Gateway.Storage;

/// <summary>What one <see cref="Outbox.Append(IReadOnlyList{Acquisition.DeviceReading}, IReadOnlyList{Acquisition.DeviceEvent}, string?)"/> committed.</summary>
/// <param name="Ranges">The sequence numbers assigned, per stream that received records.</param>
/// <param name="Dropped">Records dropped to make room, per stream, in this commit.</param>
/// <param name="Reported">Drops reported to the fleet as <c>outbox_overflow</c> events in this commit.</param>
/// <param name="RoomAgain">True when this commit found the outbox below its low-water mark after an overflow.</param>
public sealed record OutboxAppendResult(
    IReadOnlyDictionary<string, SequenceRange> Ranges,
    IReadOnlyList<OutboxDrop> Dropped,
    IReadOnlyList<OutboxDrop> Reported,
    bool RoomAgain);
