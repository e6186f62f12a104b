namespace CivicEdge.Rules.Evaluation;

/// <summary>Whether a reading can be trusted.</summary>
public enum ReadingQuality
{
    /// <summary>Read from the device and within its plausible range.</summary>
    Good,

    /// <summary>Out of range, or the device reported a fault: the value is unknown to rules until a good reading.</summary>
    Bad,
}
