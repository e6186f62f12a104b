using CivicEdge.Protocols.MBus;

namespace CivicEdge.MBus;

/// <summary>
/// The telegrams of one readout (several when the slave says more records follow), or why there are none. With outcome
/// Ok, <see cref="Error"/> is set when a telegram arrived sound but only decoded in part (its records before the error are kept).
/// </summary>
public sealed record MbusReadResult(MbusOutcome Outcome, IReadOnlyList<MbusTelegram> Telegrams, string? Error)
{
    /// <summary>The records of every telegram, in order.</summary>
    public IEnumerable<MbusDataRecord> Records => Telegrams.SelectMany(t => t.Records);
}
