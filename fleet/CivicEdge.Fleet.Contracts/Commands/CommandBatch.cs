namespace CivicEdge.Fleet.Contracts.Commands;

/// <summary>The answer to <c>POST /api/commands</c>: one record per target, as they stand when the answer is sent.</summary>
/// <param name="Commands">One per target, in target order.</param>
/// <param name="Complete">True when every command reached a final state before the answer (with <c>wait</c>).</param>
public sealed record CommandBatch(IReadOnlyList<CommandRecord> Commands, bool Complete);
