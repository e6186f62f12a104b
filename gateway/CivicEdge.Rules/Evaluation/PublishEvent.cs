namespace CivicEdge.Rules.Evaluation;

/// <summary>Publish an event upstream.</summary>
public sealed record PublishEvent(string RuleId, DateTimeOffset At, string Event, string? DeviceId, string Message)
    : RuleIntent(RuleId, At);
