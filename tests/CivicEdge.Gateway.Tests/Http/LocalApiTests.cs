using System.Net;
using System.Text.Json;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Acquisition;
using CivicEdge.Gateway.Configuration;
using CivicEdge.Gateway.Hosting;
using CivicEdge.Gateway.Http;
using CivicEdge.Gateway.Metrics;
using CivicEdge.Gateway.Tests.Support;
using CivicEdge.Gateway.Uplink;
using CivicEdge.Modbus;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CivicEdge.Gateway.Tests.Http;

/// <summary>The gateway's health over its local HTTP API and over the uplink, with one device answering and one silent.</summary>
[Category("Integration")]
public sealed class LocalApiTests
{
    private TempDirectory _directory = null!;
    private FakeModbusMasterFactory _masters = null!;
    private FakeUplinkTransport _transport = null!;
    private IHost _host = null!;
    private HttpClient _http = null!;

    [SetUp]
    public async Task SetUp()
    {
        _directory = new TempDirectory();
        _masters = new FakeModbusMasterFactory();
        _transport = new FakeUplinkTransport();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(GatewayConfigurations.Valid(TestProfiles.WriteMeter(_directory), _directory.File("gateway.db"),
            ("Devices:0:PollInterval", "20ms"),
            ("Devices:1:Id", "mtr-silent"), ("Devices:1:Profile", TestProfiles.MeterModel),
            ("Devices:1:Endpoint", "tcp://127.0.0.1:5099"), ("Devices:1:PollInterval", "20ms")));
        builder.Services.AddSingleton<IModbusMasterFactory>(_masters);
        builder.Services.AddSingleton<IUplinkTransport>(_transport);
        builder.Services.AddCivicEdgeGateway(builder.Configuration, TextWriter.Null);
        var silent = (FakeModbusMaster)_masters.Create(ModbusLink.Tcp(new DeviceEndpoint("127.0.0.1", 5099)));
        silent.Fault = (_, _, _) => new ModbusResult(ModbusOutcome.Timeout, Detail: "no answer");
        _host = builder.Build();
        await _host.StartAsync();
        _http = new HttpClient { BaseAddress = _host.Services.GetRequiredService<LocalApiServer>().Url };
    }

    [TearDown]
    public async Task TearDown()
    {
        _http.Dispose();
        await _host.StopAsync();
        _host.Dispose();
        _directory.Dispose();
    }

    [Test]
    public async Task Status_answers_the_health_report_with_a_verdict_and_reasons_per_device()
    {
        await Wait.UntilAsync(() => Pollers().Single(p => p.DeviceId == "mtr-silent").ConsecutiveUnansweredPolls >= 3, "the silent device misses three polls");

        using var response = await _http.GetAsync("status");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/json"));
        var report = JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(), ContractsJson.Default.HealthReport)!;

        Assert.That(report.SourceId, Is.EqualTo("gw-test-01"));
        var answering = report.Devices.Single(d => d.DeviceId == "mtr-test-01");
        var silent = report.Devices.Single(d => d.DeviceId == "mtr-silent");
        Assert.That((answering.Verdict, answering.Reasons), Is.EqualTo((HealthVerdict.Ok, Array.Empty<string>())));
        Assert.That(silent.Verdict, Is.EqualTo(HealthVerdict.Failed));
        Assert.That(silent.Reasons[0], Does.StartWith("not answering: ").And.Contain("it has never answered"));
        Assert.That(report.Outbox.Select(o => o.Stream), Is.EqualTo(new[] { Streams.Telemetry, Streams.Billing, Streams.Events }));
        Assert.That(report.Disk.FreeBytes, Is.GreaterThan(0));
        Assert.That(report.Process.WorkingSetBytes, Is.GreaterThan(0));
        Assert.That(report.Uplink.Connected, Is.True);
    }

    [Test]
    public async Task Metrics_answer_the_prometheus_text_format_with_outbox_uplink_device_and_process_figures()
    {
        await Wait.UntilAsync(() => Pollers().All(p => p.Polls >= 3), "a few polls of each device");

        using var response = await _http.GetAsync("metrics");
        Assert.That(response.Content.Headers.ContentType!.ToString(), Is.EqualTo(PrometheusExporter.ContentType));
        var families = PrometheusText.Parse(await response.Content.ReadAsStringAsync());

        Assert.That(families["civicedge_device_requests_total"].Value(("device", "mtr-test-01"), ("bus", "tcp://127.0.0.1:5020")), Is.GreaterThanOrEqualTo(3));
        Assert.That(families["civicedge_device_timeouts_total"].Value(("device", "mtr-silent")), Is.GreaterThanOrEqualTo(3));
        Assert.That(families["civicedge_device_verdict"].Value(("device", "mtr-silent"), ("verdict", "ok")), Is.Zero);
        Assert.That(families["civicedge_outbox_depth"].Samples.Select(s => s.Labels.Single().Value), Is.EquivalentTo(new[] { "telemetry", "billing", "events" }));
        Assert.That(families, Contains.Key("civicedge_outbox_oldest_age_seconds").And.ContainKey("civicedge_outbox_delivered_total"));
        Assert.That(families["civicedge_uplink_connected_ratio"].Value(), Is.EqualTo(1));
        Assert.That(families["civicedge_device_latency_average_seconds"].Value(("device", "mtr-test-01")), Is.GreaterThanOrEqualTo(0));
        Assert.That(families, Contains.Key("dotnet_process_cpu_time_seconds_total").And.ContainKey("dotnet_process_memory_working_set_bytes"));
    }

    [Test]
    public async Task The_health_report_goes_out_retained_as_soon_as_the_uplink_is_up()
    {
        var session = await _transport.NextSessionAsync();

        var (topic, payload, retain) = await session.NextMessageAsync(Topics.Health("gw-test-01"));

        Assert.That(retain, Is.True);
        var report = JsonSerializer.Deserialize(payload, ContractsJson.Default.HealthReport)!;
        Assert.That(report.Devices.Select(d => d.DeviceId), Is.EqualTo(new[] { "mtr-test-01", "mtr-silent" }));
        Assert.That(topic, Is.EqualTo("civic/v1/gw-test-01/health"));
    }

    private IReadOnlyList<DevicePoller> Pollers() => _host.Services.GetRequiredService<AcquisitionService>().Pollers;
}
