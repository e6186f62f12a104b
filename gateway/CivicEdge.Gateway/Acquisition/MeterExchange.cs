namespace CivicEdge.Gateway.Acquisition;

/// <summary>What one request to a meter got.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="Detail">What went wrong, with the raw bytes where some arrived; null when the meter answered.</param>
public readonly record struct MeterExchange(MeterOutcome Outcome, string? Detail = null)
{
    public static MeterExchange Answered => new(MeterOutcome.Answered);

    /// <summary>True when the meter answered with data.</summary>
    public bool IsAnswered => Outcome == MeterOutcome.Answered;

    /// <summary>True when the meter answered at all, even to refuse or with a damaged frame.</summary>
    public bool HeardFrom => Outcome is MeterOutcome.Answered or MeterOutcome.Refused or MeterOutcome.Damaged;

    public override string ToString() => Detail is null ? Outcome.ToString() : $"{Outcome}: {Detail}";
}
