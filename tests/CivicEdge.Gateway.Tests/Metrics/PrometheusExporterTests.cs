using System.Diagnostics.Metrics;
using CivicEdge.Gateway.Metrics;
using CivicEdge.Gateway.Tests.Support;

namespace CivicEdge.Gateway.Tests.Metrics;

[Category("Unit")]
public sealed class PrometheusExporterTests
{
    private string _meterName = null!;
    private Meter _meter = null!;
    private PrometheusExporter _exporter = null!;

    [SetUp]
    public void SetUp()
    {
        _meterName = "test." + Guid.NewGuid().ToString("N");
        _exporter = new PrometheusExporter(_meterName);
        _meter = new Meter(_meterName);
    }

    [TearDown]
    public void TearDown()
    {
        _meter.Dispose();
        _exporter.Dispose();
    }

    [Test]
    public void Counters_sums_gauges_and_observables_are_written_as_a_scraper_reads_them()
    {
        var requests = _meter.CreateCounter<long>("civicedge.device.requests", "{request}", "Read requests made");
        var depth = _meter.CreateUpDownCounter<int>("civicedge.outbox.depth", "{record}", "Records waiting");
        var connected = 1;
        _meter.CreateObservableGauge("civicedge.uplink.connected", () => connected, "1", "1 while connected");
        _meter.CreateObservableGauge("civicedge.outbox.oldest_age", () => new Measurement<double>(12.5, new KeyValuePair<string, object?>("stream", "telemetry")), "s", "Age of the oldest record");

        requests.Add(3, new KeyValuePair<string, object?>("device", "mtr-1"));
        requests.Add(4, new KeyValuePair<string, object?>("device", "mtr-1"));
        requests.Add(1, new KeyValuePair<string, object?>("device", "mtr-2"));
        depth.Add(10);
        depth.Add(-3);

        var text = _exporter.Scrape();
        var families = PrometheusText.Parse(text);

        Assert.That(families["civicedge_device_requests_total"].Type, Is.EqualTo("counter"));
        Assert.That(families["civicedge_device_requests_total"].Value(("device", "mtr-1")), Is.EqualTo(7));
        Assert.That(families["civicedge_device_requests_total"].Value(("device", "mtr-2")), Is.EqualTo(1));
        Assert.That(families["civicedge_outbox_depth"].Type, Is.EqualTo("gauge"));
        Assert.That(families["civicedge_outbox_depth"].Value(), Is.EqualTo(7));
        Assert.That(families["civicedge_uplink_connected_ratio"].Value(), Is.EqualTo(1));
        Assert.That(families["civicedge_outbox_oldest_age_seconds"].Value(("stream", "telemetry")), Is.EqualTo(12.5));
        Assert.That(families["civicedge_device_requests_total"].Help, Is.EqualTo("Read requests made"));
        Assert.That(text, Does.StartWith("# HELP "), "families come with their HELP and TYPE first");
    }

    [Test]
    public void Label_values_with_quotes_backslashes_and_line_feeds_are_escaped_and_read_back_unchanged()
    {
        const string tricky = "gw \"north\"\\pole\nsecond line";
        _meter.CreateObservableCounter("civicedge.test.events", () => new Measurement<long>(5, new KeyValuePair<string, object?>("device.name", tricky)), null, "Help with a \\ backslash\nand a line feed");

        var families = PrometheusText.Parse(_exporter.Scrape());

        var family = families["civicedge_test_events_total"];
        Assert.That(family.Samples.Single().Labels.Single(), Is.EqualTo(("device_name", tricky)));
        Assert.That(family.Help, Is.EqualTo("Help with a \\ backslash\nand a line feed"));
    }

    [Test]
    public void A_histogram_has_cumulative_buckets_ending_in_plus_infinity_a_sum_and_a_count()
    {
        var latency = _meter.CreateHistogram<double>("civicedge.test.latency", "s", "Latency", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.1, 1] });
        foreach (var value in new[] { 0.005, 0.05, 0.05, 0.5, 5 })
            latency.Record(value);

        var family = PrometheusText.Parse(_exporter.Scrape())["civicedge_test_latency_seconds"];

        Assert.That(family.Type, Is.EqualTo("histogram"));
        Assert.That(family.Samples.Where(s => s.Name.EndsWith("_bucket", StringComparison.Ordinal)).Select(s => (s.Labels.Single().Value, s.Value)),
            Is.EqualTo(new[] { ("0.01", 1.0), ("0.1", 3.0), ("1", 4.0), ("+Inf", 5.0) }));
        Assert.That(family.Samples.Single(s => s.Name.EndsWith("_count", StringComparison.Ordinal)).Value, Is.EqualTo(5));
        Assert.That(family.Samples.Single(s => s.Name.EndsWith("_sum", StringComparison.Ordinal)).Value, Is.EqualTo(5.605).Within(1e-9));
    }

    [Test]
    public void An_observable_series_that_is_no_longer_observed_disappears_from_the_next_scrape()
    {
        var devices = new List<string> { "mtr-1", "mtr-2" };
        _meter.CreateObservableCounter("civicedge.test.polls", () => devices.Select(d => new Measurement<long>(1, new KeyValuePair<string, object?>("device", d))), "{poll}", "Polls");

        Assert.That(PrometheusText.Parse(_exporter.Scrape())["civicedge_test_polls_total"].Samples, Has.Count.EqualTo(2));
        devices.Remove("mtr-2");

        Assert.That(PrometheusText.Parse(_exporter.Scrape())["civicedge_test_polls_total"].Samples.Single().Labels.Single(), Is.EqualTo(("device", "mtr-1")));
    }

    [TestCase("civicedge.outbox.depth", "{record}", false, "civicedge_outbox_depth")]
    [TestCase("dotnet.process.cpu.time", "s", true, "dotnet_process_cpu_time_seconds_total")]
    [TestCase("dotnet.process.memory.working_set", "By", false, "dotnet_process_memory_working_set_bytes")]
    [TestCase("civicedge.device.requests", "{request}", true, "civicedge_device_requests_total")]
    [TestCase("9lives-metric", null, false, "_9lives_metric")]
    [TestCase("latency_seconds", "s", false, "latency_seconds")]
    public void Instrument_names_and_units_become_prometheus_names(string instrument, string? unit, bool counter, string expected) =>
        Assert.That(PrometheusName.Metric(instrument, unit, counter), Is.EqualTo(expected));
}
