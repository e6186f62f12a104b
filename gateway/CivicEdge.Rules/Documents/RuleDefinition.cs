using CivicEdge.Rules.Language;

namespace CivicEdge.Rules.Documents;

/// <summary>One rule of a rule set.</summary>
/// <param name="Id">Unique in the rule set, e.g. <c>lamp-failure</c>.</param>
/// <param name="Description">What the rule is for, for people.</param>
/// <param name="Trigger">When it is evaluated.</param>
/// <param name="Condition">When it is active (<c>when</c>); null for always, as for a plain schedule.</param>
/// <param name="For">How long the condition must hold before the rule becomes active (debounce).</param>
/// <param name="ClearFor">How long the condition must be false before the rule becomes inactive again.</param>
/// <param name="Hysteresis">How far back across each threshold a value must move before an active rule clears.</param>
/// <param name="Deadband">How far a written or set value must move while the rule is active before it is written again.</param>
/// <param name="Then">Actions when the rule becomes active (or at each scheduled time the condition holds).</param>
/// <param name="Else">Actions when it becomes inactive (or at each scheduled time the condition does not hold).</param>
public sealed record RuleDefinition(
    string Id,
    string? Description,
    RuleTrigger Trigger,
    ExpressionNode? Condition,
    TimeSpan For,
    TimeSpan ClearFor,
    double Hysteresis,
    double Deadband,
    IReadOnlyList<RuleAction> Then,
    IReadOnlyList<RuleAction> Else);
