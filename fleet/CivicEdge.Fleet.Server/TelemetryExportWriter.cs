using System.Text.Json;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Core;

namespace CivicEdge.Fleet.Server;

/// <summary>
/// Writes an export row by row as it is read from the store, flushing every <see cref="FlushEvery"/> rows, so that an
/// export of years neither sits in memory nor keeps the client waiting for its first byte.
/// </summary>
internal abstract class TelemetryExportWriter : IAsyncDisposable
{
    protected const int FlushEvery = 1000;

    private static readonly Dictionary<Quality, string> QualityNames = Enum.GetValues<Quality>()
        .ToDictionary(quality => quality, quality => JsonSerializer.Serialize(quality, ContractsJson.Default.Quality).Trim('"'));

    private int _unflushed;

    /// <summary>The wire name of a quality, as the JSON contracts write it (<c>good</c>, <c>commError</c>, …).</summary>
    protected static string NameOf(Quality quality) => QualityNames[quality];

    public abstract Task WriteSampleAsync(StoredSample sample, CancellationToken cancellationToken);

    public abstract Task WriteBucketAsync(string deviceId, AggregatedSeries series, TelemetryBucket bucket, CancellationToken cancellationToken);

    /// <summary>Ends the document and flushes what is left.</summary>
    public abstract Task CompleteAsync(CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();

    protected abstract Task FlushAsync(CancellationToken cancellationToken);

    /// <summary>Counts a row written and flushes every <see cref="FlushEvery"/> rows.</summary>
    protected async Task RowWrittenAsync(CancellationToken cancellationToken)
    {
        if (++_unflushed < FlushEvery)
            return;
        _unflushed = 0;
        await FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
