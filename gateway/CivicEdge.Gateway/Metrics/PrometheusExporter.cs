using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace CivicEdge.Gateway.Metrics;

/// <summary>
/// Collects the instruments of the meters it is given (System.Diagnostics.Metrics) and writes them in the Prometheus
/// text exposition format 0.0.4: observable instruments are observed at each scrape; counters and up-down counters are
/// summed, gauges keep their last value and histograms count into buckets as measurements come. Monotonic instruments
/// become <c>counter</c>, the others <c>gauge</c> (or <c>histogram</c>); names follow <see cref="PrometheusName"/>.
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    /// <summary>The content type of the text format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Bucket bounds of a histogram that gives no advice, as OpenTelemetry's default.</summary>
    private static readonly double[] DefaultBuckets = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, Family> _families = new();
    private readonly Lock _scrape = new();

    /// <param name="meterNames">The meters to export, e.g. <see cref="GatewayMetrics.MeterName"/> and <c>System.Runtime</c>.</param>
    public PrometheusExporter(params string[] meterNames)
    {
        ArgumentNullException.ThrowIfNull(meterNames);
        var wanted = meterNames.ToHashSet(StringComparer.Ordinal);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (!wanted.Contains(instrument.Meter.Name))
                return;
            _families[instrument] = new Family(instrument);
            listener.EnableMeasurementEvents(instrument);
        };
        _listener.MeasurementsCompleted = (instrument, _) => _families.TryRemove(instrument, out Family? _);
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<short>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<byte>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<float>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<decimal>((i, v, tags, _) => Record(i, (double)v, tags));
        _listener.Start();
    }

    /// <summary>Observes every observable instrument and writes every family, sorted by name.</summary>
    public string Scrape()
    {
        lock (_scrape)
        {
            foreach (var family in _families.Values.Where(f => f.IsObservable))
                family.Clear();
            _listener.RecordObservableInstruments();

            var text = new StringBuilder();
            foreach (var group in _families.Values.Where(f => f.HasSeries).GroupBy(f => f.Name, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                // Two instruments with one exported name form one family only if they agree on its type.
                var first = group.First();
                var families = group.Where(f => f.Type == first.Type).ToList();
                text.Append("# HELP ").Append(first.Name).Append(' ').Append(EscapeHelp(first.Help)).Append('\n');
                text.Append("# TYPE ").Append(first.Name).Append(' ').Append(first.Type).Append('\n');
                foreach (var family in families)
                    family.Write(text);
            }

            return text.ToString();
        }
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (_families.TryGetValue(instrument, out var family))
            family.Record(value, tags);
    }

    private static string EscapeHelp(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string EscapeLabel(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Number(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>One instrument's series, by label set.</summary>
    private sealed class Family
    {
        private readonly Instrument _instrument;
        private readonly Kind _kind;
        private readonly double[] _buckets;
        private readonly Dictionary<string, Series> _series = new(StringComparer.Ordinal);
        private readonly Lock _gate = new();

        public Family(Instrument instrument)
        {
            _instrument = instrument;
            var type = instrument.GetType().GetGenericTypeDefinition();
            _kind = type == typeof(Counter<>) || type == typeof(ObservableCounter<>) ? Kind.Counter
                : type == typeof(Histogram<>) ? Kind.Histogram
                : type == typeof(UpDownCounter<>) ? Kind.Sum
                : Kind.LastValue;
            IsObservable = instrument.IsObservable;
            Name = PrometheusName.Metric(instrument.Name, instrument.Unit, _kind == Kind.Counter);
            Help = string.IsNullOrWhiteSpace(instrument.Description) ? instrument.Name : instrument.Description;
            Type = _kind switch
            {
                Kind.Counter => "counter",
                Kind.Histogram => "histogram",
                _ => "gauge",
            };
            _buckets = _kind == Kind.Histogram ? BucketsOf(instrument) : [];
        }

        public string Name { get; }

        public string Help { get; }

        public string Type { get; }

        public bool IsObservable { get; }

        public bool HasSeries
        {
            get
            {
                lock (_gate)
                    return _series.Count > 0;
            }
        }

        public void Clear()
        {
            lock (_gate)
                _series.Clear();
        }

        public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var labels = Labels(tags);
            lock (_gate)
            {
                if (!_series.TryGetValue(labels, out var series))
                    _series[labels] = series = new Series(_buckets.Length);
                switch (_kind)
                {
                    case Kind.Counter when !IsObservable:
                    case Kind.Sum:
                        series.Value += value;
                        break;
                    case Kind.Histogram:
                        series.Value += value;
                        series.Count++;
                        var bucket = Array.FindIndex(_buckets, bound => value <= bound);
                        if (bucket >= 0)
                            series.Buckets[bucket]++;
                        break;
                    default:
                        series.Value = value;
                        break;
                }
            }
        }

        public void Write(StringBuilder text)
        {
            lock (_gate)
            {
                foreach (var (labels, series) in _series.OrderBy(s => s.Key, StringComparer.Ordinal))
                {
                    if (_kind != Kind.Histogram)
                    {
                        Sample(text, Name, labels, series.Value);
                        continue;
                    }

                    long cumulative = 0;
                    for (var i = 0; i < _buckets.Length; i++)
                    {
                        cumulative += series.Buckets[i];
                        Sample(text, Name + "_bucket", Join(labels, $"le=\"{Number(_buckets[i])}\""), cumulative);
                    }

                    Sample(text, Name + "_bucket", Join(labels, "le=\"+Inf\""), series.Count);
                    Sample(text, Name + "_sum", labels, series.Value);
                    Sample(text, Name + "_count", labels, series.Count);
                }
            }
        }

        private static void Sample(StringBuilder text, string name, string labels, double value)
        {
            text.Append(name);
            if (labels.Length > 0)
                text.Append('{').Append(labels).Append('}');
            text.Append(' ').Append(Number(value)).Append('\n');
        }

        private static string Join(string labels, string label) => labels.Length == 0 ? label : labels + "," + label;

        private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (tags.IsEmpty)
                return string.Empty;
            var pairs = new List<(string Key, string Value)>(tags.Length);
            foreach (var tag in tags)
                pairs.Add((PrometheusName.Label(tag.Key), Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? string.Empty));
            return string.Join(",", pairs.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}=\"{EscapeLabel(p.Value)}\""));
        }

        private static double[] BucketsOf(Instrument instrument) => instrument switch
        {
            Histogram<double> { Advice.HistogramBucketBoundaries: { } bounds } => [.. bounds],
            Histogram<long> { Advice.HistogramBucketBoundaries: { } bounds } => [.. bounds.Select(b => (double)b)],
            Histogram<int> { Advice.HistogramBucketBoundaries: { } bounds } => [.. bounds.Select(b => (double)b)],
            _ => DefaultBuckets,
        };
    }

    private sealed class Series(int buckets)
    {
        public double Value { get; set; }

        public long Count { get; set; }

        public long[] Buckets { get; } = new long[buckets];
    }

    private enum Kind
    {
        Counter,
        Sum,
        LastValue,
        Histogram,
    }
}
