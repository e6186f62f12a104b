namespace CivicEdge.MBus;

/// <summary>How patiently an <see cref="MbusMaster"/> waits for slaves.</summary>
public sealed class MbusMasterOptions
{
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromMilliseconds(int.MaxValue);

    /// <summary>
    /// How long one attempt waits for the whole answer. EN 13757-2 §5.5 lets a slave wait 11 to 330 bit times plus
    /// 50 ms before answering; at 2400 Bd a full 261-byte frame then takes about 1.3 s more, so 2 s is the default.
    /// </summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Further attempts after a timeout or a damaged answer (EN 13757-2 suggests up to two); 0 tries once.</summary>
    public int Retries { get; set; } = 2;

    /// <summary>Upper bound on telegrams read in one multi-telegram readout, so a slave that always says "more" cannot hold the bus.</summary>
    public int MaxTelegrams { get; set; } = 16;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first option that is out of range.</summary>
    public void Validate()
    {
        if (ResponseTimeout <= TimeSpan.Zero || ResponseTimeout > MaxTimeout)
            throw new ArgumentOutOfRangeException(nameof(ResponseTimeout), ResponseTimeout, $"{nameof(ResponseTimeout)} must be greater than zero and at most {MaxTimeout}; found {ResponseTimeout}.");
        if (Retries is < 0 or > 10)
            throw new ArgumentOutOfRangeException(nameof(Retries), Retries, $"{nameof(Retries)} must be 0..10; found {Retries}.");
        if (MaxTelegrams is < 1 or > 1000)
            throw new ArgumentOutOfRangeException(nameof(MaxTelegrams), MaxTelegrams, $"{nameof(MaxTelegrams)} must be 1..1000; found {MaxTelegrams}.");
    }
}
