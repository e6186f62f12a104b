namespace CivicEdge.Fleet.Contracts.Alarms;

/// <summary>The body of <c>POST /api/alarms/{id}/acknowledge|assign|clear|close</c>.</summary>
/// <param name="Note">Why, for people; required.</param>
/// <param name="Assignee">For <c>assign</c>: the person or team; ignored otherwise.</param>
public sealed record AlarmStepRequest(string? Note, string? Assignee = null);
