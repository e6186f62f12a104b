using CivicEdge.Hardware;
using CivicEdge.Rules.Documents;

namespace CivicEdge.Rules.Evaluation;

/// <summary>An action with its names resolved to device codes and slots and its value compiled.</summary>
internal sealed class CompiledAction
{
    public required RuleAction Source { get; init; }

    /// <summary>The device code (alarm, write, event), or null.</summary>
    public string? DeviceId { get; init; }

    /// <summary>The alarm code, point or event name.</summary>
    public required string Name { get; init; }

    public AlarmSeverity Severity { get; init; }

    public CompiledMessage? Message { get; init; }

    /// <summary>The value of a write or a virtual-point set.</summary>
    public Func<EvaluationContext, double>? Value { get; init; }

    /// <summary>For a virtual-point set: the slot it sets.</summary>
    public int Slot { get; init; } = -1;

    /// <summary>The value last written or set, to apply the rule's deadband; NaN before the first.</summary>
    public double LastValue { get; set; } = double.NaN;
}
