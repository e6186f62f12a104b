namespace CivicEdge.Rules.Documents;

/// <summary>Publishes an event (no lifecycle, unlike an alarm), e.g. "lamps dimmed for the night".</summary>
public sealed record PublishEventAction(string Event, string? Device, MessageTemplate Message) : RuleAction;
