using CivicEdge.Fleet.Contracts.Alarms;

namespace CivicEdge.Fleet.Core.Alarms;

/// <summary>How a person's step on an alarm ended: the alarm after it, or why not.</summary>
/// <param name="Alarm">The alarm after the step; null when unknown.</param>
/// <param name="Applied">False when the lifecycle refused the step (the alarm is then as it stands).</param>
/// <param name="Allowed">The steps the alarm's state allows, for a refusal.</param>
public sealed record AlarmStepOutcome(Alarm? Alarm, bool Applied, IReadOnlyList<AlarmAction> Allowed);
