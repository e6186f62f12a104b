using CivicEdge.Fleet.Contracts;

namespace CivicEdge.Gateway.Acquisition;

/// <summary>What one poll of a device got, before it is normalized and reported.</summary>
/// <param name="Timestamp">When the poll started (UTC).</param>
/// <param name="Answered">
/// False when the device did not answer at all (every read it was sent timed out or the link failed); true when it
/// answered at least one read, even with an exception response or a damaged frame.
/// </param>
/// <param name="Values">
/// One entry per point of the profile, in profile order: the value decoded in the profile's unit with quality good or
/// out-of-range, or null where the point was not read in this poll (its read failed, its value was not a number, or it
/// is a text point).
/// </param>
public sealed record PollResult(DateTimeOffset Timestamp, bool Answered, IReadOnlyList<PointValue?> Values);
