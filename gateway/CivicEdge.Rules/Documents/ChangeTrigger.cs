namespace CivicEdge.Rules.Documents;

/// <summary>
/// Evaluated whenever a point the condition reads changes (including a device's communication state for
/// <c>is_stale</c>), and on every clock tick when it uses time (windows, <c>since_change</c>, <c>daylight</c>).
/// </summary>
public sealed record ChangeTrigger : RuleTrigger
{
    public static ChangeTrigger Instance { get; } = new();
}
