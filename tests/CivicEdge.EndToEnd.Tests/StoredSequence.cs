using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Storage.LiteDb;
using CivicEdge.Gateway.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace CivicEdge.EndToEnd.Tests;

/// <summary>
/// What the fleet stored of one gateway's stream and what the gateway still holds, read from both files once both
/// processes have stopped, and the checks that make "every accepted reading exactly once, in order" precise.
/// </summary>
internal sealed record StoredSequence(IReadOnlyList<long> FleetSeqs, IReadOnlyList<DateTimeOffset> FleetTimes, IReadOnlyList<long> Waiting, OutboxStatus Outbox)
{
    /// <summary>
    /// Reads the sequence numbers of the records the fleet stored for <paramref name="deviceId"/> (a record is there when
    /// any of its points is: report by exception sends only the points that moved), and the gateway outbox's status and
    /// waiting records.
    /// </summary>
    public static StoredSequence Read(string fleetDatabase, string gatewayDatabase, string deviceId, string stream = Streams.Telemetry)
    {
        var seqs = new List<(long Seq, DateTimeOffset Time)>();
        using (var fleet = new LiteDbFleetStore(new LiteDbFleetStoreOptions { Path = fleetDatabase }, NullLogger<LiteDbFleetStore>.Instance))
        {
            var timeOfSeq = new Dictionary<long, DateTimeOffset>();
            var pointsOfSeq = new HashSet<(long Seq, string Point)>();
            var samples = fleet.ReadSamplesAsync(deviceId, null, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, CancellationToken.None);
            foreach (var sample in samples.ToBlockingEnumerable())
            {
                if (sample.Stream != stream)
                    continue;
                if (!pointsOfSeq.Add((sample.Seq, sample.Point)))
                    seqs.Add((sample.Seq, sample.Timestamp)); // the same point of the same record twice: a duplicate the checks below report
                timeOfSeq[sample.Seq] = sample.Timestamp;
            }

            seqs.AddRange(timeOfSeq.Select(entry => (entry.Key, entry.Value)));
        }

        using var outbox = new Outbox(gatewayDatabase);
        var status = outbox.Status(stream);
        var waiting = new List<long>();
        for (var after = 0L; ;)
        {
            var page = outbox.Peek(stream, after, 10_000);
            if (page.Count == 0)
                break;
            waiting.AddRange(page.Select(record => record.Seq));
            after = page[^1].Seq;
        }

        var bySeq = seqs.OrderBy(entry => entry.Seq).ToList();
        return new StoredSequence([.. bySeq.Select(entry => entry.Seq)], [.. bySeq.Select(entry => entry.Time)], waiting, status);
    }

    /// <summary>Sequence numbers the fleet holds more than once.</summary>
    public IReadOnlyList<long> Duplicates => [.. FleetSeqs.GroupBy(seq => seq).Where(group => group.Count() > 1).Select(group => group.Key)];

    /// <summary>
    /// Sequence numbers the gateway assigned that are neither at the fleet nor still waiting in the outbox: lost, unless
    /// the outbox counted them as dropped.
    /// </summary>
    public IReadOnlyList<long> Missing
    {
        get
        {
            var present = FleetSeqs.Concat(Waiting).ToHashSet();
            var missing = new List<long>();
            for (var seq = 1L; seq <= Outbox.LastSeq; seq++)
            {
                if (!present.Contains(seq))
                    missing.Add(seq);
            }

            return missing;
        }
    }
}
