namespace CivicEdge.Fleet.Contracts.Alarms;

/// <summary>One step of an alarm's life.</summary>
/// <param name="State">The state the alarm entered.</param>
/// <param name="By">Who: a person (from the API key or token), <c>device</c> or <c>fleet</c>.</param>
/// <param name="At">When (UTC).</param>
/// <param name="Note">Why, for people.</param>
/// <param name="Assignee">For an assignment: the person or team.</param>
public sealed record AlarmStep(AlarmState State, string By, DateTimeOffset At, string? Note, string? Assignee);
