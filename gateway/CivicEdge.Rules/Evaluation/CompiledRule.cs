using CivicEdge.Rules.Documents;
using CivicEdge.Rules.Scheduling;

namespace CivicEdge.Rules.Evaluation;

/// <summary>A rule ready to run, with its state: active or not, and since when its condition has held or failed.</summary>
internal sealed class CompiledRule
{
    public const long NotPending = long.MinValue;

    public required RuleDefinition Definition { get; init; }

    public required int Index { get; init; }

    /// <summary>The condition; a constant true for a scheduled rule without one.</summary>
    public required Func<EvaluationContext, double> Condition { get; init; }

    public required CompiledAction[] Then { get; init; }

    public required CompiledAction[] Else { get; init; }

    public required bool DependsOnTime { get; init; }

    public long ForTicks { get; init; }

    public long ClearForTicks { get; init; }

    public double Hysteresis { get; init; }

    public double Deadband { get; init; }

    public CronSchedule? Cron { get; init; }

    public SunTrigger? Sun { get; init; }

    public bool Scheduled => Cron is not null || Sun is not null;

    public bool Active { get; set; }

    /// <summary>Since when the condition has held while the rule waits out <see cref="ForTicks"/>.</summary>
    public long HoldSince { get; set; } = NotPending;

    /// <summary>Since when the condition has failed while the active rule waits out <see cref="ClearForTicks"/>.</summary>
    public long ClearSince { get; set; } = NotPending;

    public bool Waiting { get; set; }

    /// <summary>For a scheduled rule: its next time, in UTC ticks; long.MaxValue for never.</summary>
    public long NextDue { get; set; } = long.MaxValue;
}
