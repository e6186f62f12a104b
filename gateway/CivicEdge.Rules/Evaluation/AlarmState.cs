namespace CivicEdge.Rules.Evaluation;

/// <summary>Where an active edge alarm is in its lifecycle: raised → acknowledged (from the fleet) → cleared (gone).</summary>
public enum AlarmState
{
    Raised,
    Acknowledged,
}
