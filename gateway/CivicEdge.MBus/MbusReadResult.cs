using CivicEdge.Protocols.MBus;

namespace CivicEdge.MBus;

/// <summary>The telegrams of one readout (several when the slave says more records follow), or why there are none.</summary>
public sealed record MbusReadResult(MbusOutcome Outcome, IReadOnlyList<MbusTelegram> Telegrams, string? Error)
{
    /// <summary>The records of every telegram, in order.</summary>
    public IEnumerable<MbusDataRecord> Records => Telegrams.SelectMany(t => t.Records);
}
