namespace CivicEdge.Fleet.Core.Alarms;

/// <summary>What a person does to an alarm (<c>POST /api/alarms/{id}/acknowledge|assign|clear|close</c>).</summary>
public enum AlarmAction
{
    Acknowledge,
    Assign,
    Clear,
    Close,
}
