namespace CivicEdge.Fleet.Core;

/// <summary>A refused message: the counted cause and a reason that says where, what was expected and what was found.</summary>
/// <param name="Cause">The category the refusal is counted under.</param>
/// <param name="Reason">For example <c>records[3].seq: expected &gt; 41, found 41</c>.</param>
public sealed record Rejection(RejectionCause Cause, string Reason);
