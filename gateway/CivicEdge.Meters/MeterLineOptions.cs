namespace CivicEdge.Meters;

/// <summary>How a master waits for meters on one line (DL/T 645 or CJ/T 188, serial or a transparent TCP converter).</summary>
public sealed class MeterLineOptions
{
    /// <summary>
    /// How long to wait for an answer. DL/T 645-2007 lets a meter take up to 500 ms before it answers; the default
    /// leaves room for the frame itself at 1200–2400 Bd and for a TCP converter in between.
    /// </summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromMilliseconds(1500);

    /// <summary>Further attempts after a request that got no valid answer.</summary>
    public int Retries { get; set; } = 2;

    /// <summary>FEH wake-up bytes sent before each request (DL/T 645-2007 §4.1.1; CJ/T 188-2004 §5.3).</summary>
    public int PreambleLength { get; set; } = 4;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first option that is out of range.</summary>
    public void Validate()
    {
        if (ResponseTimeout <= TimeSpan.Zero || ResponseTimeout > TimeSpan.FromMinutes(1))
            throw new ArgumentOutOfRangeException(nameof(ResponseTimeout), ResponseTimeout, $"{nameof(ResponseTimeout)} must be greater than zero and at most 1 minute; found {ResponseTimeout}.");
        if (Retries is < 0 or > 10)
            throw new ArgumentOutOfRangeException(nameof(Retries), Retries, $"{nameof(Retries)} must be 0..10; found {Retries}.");
        if (PreambleLength is < 0 or > 8)
            throw new ArgumentOutOfRangeException(nameof(PreambleLength), PreambleLength, $"{nameof(PreambleLength)} must be 0..8; found {PreambleLength}.");
    }
}
