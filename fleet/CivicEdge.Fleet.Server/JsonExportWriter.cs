using System.Text.Json;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Core;

namespace CivicEdge.Fleet.Server;

/// <summary>
/// One JSON array of objects, written as it is read: per sample <c>device, point, time, value, unit, quantity, quality,
/// source, stream, seq</c>; per bucket <c>device, point, start, unit, quantity</c> and the aggregates asked for.
/// </summary>
internal sealed class JsonExportWriter : TelemetryExportWriter
{
    private readonly Utf8JsonWriter _writer;
    private readonly IReadOnlyList<string> _aggregates;

    public JsonExportWriter(Stream body, IReadOnlyList<string> aggregates)
    {
        _writer = new Utf8JsonWriter(body);
        _aggregates = aggregates;
        _writer.WriteStartArray();
    }

    public override async Task WriteSampleAsync(StoredSample sample, CancellationToken cancellationToken)
    {
        _writer.WriteStartObject();
        _writer.WriteString("device", sample.DeviceId);
        _writer.WriteString("point", sample.Point);
        _writer.WriteString("time", sample.Timestamp.ToUniversalTime());
        _writer.WriteNumber("value", sample.Value);
        _writer.WriteString("unit", sample.Unit);
        _writer.WriteString("quantity", sample.Quantity);
        _writer.WriteString("quality", NameOf(sample.Quality));
        _writer.WriteString("source", sample.Source);
        _writer.WriteString("stream", sample.Stream);
        _writer.WriteNumber("seq", sample.Seq);
        _writer.WriteEndObject();
        await RowWrittenAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async Task WriteBucketAsync(string deviceId, AggregatedSeries series, TelemetryBucket bucket, CancellationToken cancellationToken)
    {
        _writer.WriteStartObject();
        _writer.WriteString("device", deviceId);
        _writer.WriteString("point", series.Point);
        _writer.WriteString("start", bucket.Start.ToUniversalTime());
        _writer.WriteString("unit", series.Unit);
        _writer.WriteString("quantity", series.Quantity);
        foreach (var name in _aggregates)
        {
            var value = name switch
            {
                "count" => bucket.Count,
                "min" => bucket.Min,
                "max" => bucket.Max,
                "avg" => bucket.Avg,
                "last" => bucket.Last,
                _ => throw new InvalidOperationException($"No JSON field for the aggregate '{name}'."),
            };
            if (value is { } number)
                _writer.WriteNumber(name, number);
            else
                _writer.WriteNull(name);
        }

        _writer.WriteEndObject();
        await RowWrittenAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async Task CompleteAsync(CancellationToken cancellationToken)
    {
        _writer.WriteEndArray();
        await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public override ValueTask DisposeAsync() => _writer.DisposeAsync();

    protected override Task FlushAsync(CancellationToken cancellationToken) => _writer.FlushAsync(cancellationToken);
}
