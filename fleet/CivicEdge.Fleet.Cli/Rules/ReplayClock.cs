namespace CivicEdge.Fleet.Cli.Rules;

/// <summary>The clock of a replay: it stands where the replay put it, so a recording of a week runs in a moment.</summary>
public sealed class ReplayClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}
