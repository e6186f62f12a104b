namespace CivicEdge.Fleet.Core;

/// <summary>
/// Deduplication by (source, stream, sequence), the delivery contract's second half: a stream's records are numbered
/// in order by their gateway, so a record at or below the highest sequence persisted for the stream (its watermark) was
/// persisted before and is a resend.
/// </summary>
public static class StreamWatermark
{
    /// <summary>The records above <paramref name="watermark"/>, in order, with how many were resends and the new watermark.</summary>
    public static (List<T> Fresh, int Duplicates, long Watermark) Split<T>(IReadOnlyList<T> records, Func<T, long> sequenceOf, long watermark)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(sequenceOf);
        var fresh = new List<T>(records.Count);
        var duplicates = 0;
        foreach (var record in records)
        {
            var sequence = sequenceOf(record);
            if (sequence <= watermark)
            {
                duplicates++;
                continue;
            }

            watermark = sequence;
            fresh.Add(record);
        }

        return (fresh, duplicates, watermark);
    }
}
