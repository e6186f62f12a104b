using System.Globalization;
using System.Text;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Core;

namespace CivicEdge.Fleet.Server;

/// <summary>
/// RFC 4180 CSV: a header line, then one line per sample (<c>device,point,time,value,unit,quantity,quality,source,stream,seq</c>)
/// or per bucket (<c>device,point,start,unit,quantity</c> and the aggregates asked for); UTF-8 without a byte order
/// mark, CRLF line ends, times in ISO 8601 UTC, numbers in the invariant culture with every digit they need.
/// </summary>
internal sealed class CsvExportWriter : TelemetryExportWriter
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'";

    private readonly StreamWriter _writer;
    private readonly IReadOnlyList<string> _aggregates;
    private bool _headed;

    public CsvExportWriter(Stream body, IReadOnlyList<string> aggregates)
    {
        _writer = new StreamWriter(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 64 * 1024, leaveOpen: true)
        {
            NewLine = "\r\n",
        };
        _aggregates = aggregates;
    }

    public override async Task WriteSampleAsync(StoredSample sample, CancellationToken cancellationToken)
    {
        await HeadAsync("device,point,time,value,unit,quantity,quality,source,stream,seq").ConfigureAwait(false);
        await _writer.WriteLineAsync(string.Join(',',
            Text(sample.DeviceId),
            Text(sample.Point),
            sample.Timestamp.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture),
            Number(sample.Value),
            Text(sample.Unit),
            Text(sample.Quantity),
            NameOf(sample.Quality),
            Text(sample.Source),
            Text(sample.Stream),
            sample.Seq.ToString(CultureInfo.InvariantCulture))).ConfigureAwait(false);
        await RowWrittenAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async Task WriteBucketAsync(string deviceId, AggregatedSeries series, TelemetryBucket bucket, CancellationToken cancellationToken)
    {
        await HeadAsync("device,point,start,unit,quantity" + string.Concat(_aggregates.Select(name => "," + name))).ConfigureAwait(false);
        var line = new StringBuilder()
            .Append(Text(deviceId)).Append(',')
            .Append(Text(series.Point)).Append(',')
            .Append(bucket.Start.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture)).Append(',')
            .Append(Text(series.Unit)).Append(',')
            .Append(Text(series.Quantity));
        foreach (var name in _aggregates)
        {
            line.Append(',').Append(name switch
            {
                "count" => bucket.Count?.ToString(CultureInfo.InvariantCulture),
                "min" => Number(bucket.Min),
                "max" => Number(bucket.Max),
                "avg" => Number(bucket.Avg),
                "last" => Number(bucket.Last),
                _ => throw new InvalidOperationException($"No CSV column for the aggregate '{name}'."),
            });
        }

        await _writer.WriteLineAsync(line, cancellationToken).ConfigureAwait(false);
        await RowWrittenAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async Task CompleteAsync(CancellationToken cancellationToken) =>
        await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);

    public override ValueTask DisposeAsync() => _writer.DisposeAsync();

    protected override Task FlushAsync(CancellationToken cancellationToken) => _writer.FlushAsync(cancellationToken);

    /// <summary>
    /// A text field, quoted when it holds a comma, quote or line break (RFC 4180 §2.6–2.7). One that a spreadsheet would
    /// take for a formula (=, +, -, @) gets a leading apostrophe, as OWASP advises against CSV injection: device and point
    /// names come from the field.
    /// </summary>
    private static string Text(string? value)
    {
        if (string.IsNullOrEmpty(value))
            return string.Empty;
        if (value[0] is '=' or '+' or '-' or '@')
            value = "'" + value;
        return value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    private static string Number(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? string.Empty;

    private async Task HeadAsync(string header)
    {
        if (_headed)
            return;
        _headed = true;
        await _writer.WriteLineAsync(header).ConfigureAwait(false);
    }
}
