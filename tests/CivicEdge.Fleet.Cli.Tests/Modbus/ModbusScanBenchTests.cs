using System.Text.Json;
using CivicEdge.Fleet.Cli.Modbus;
using CivicEdge.Protocols.Modbus;
using Spectre.Console.Testing;

namespace CivicEdge.Fleet.Cli.Tests.Modbus;

[Category("Integration")]
public sealed class ModbusScanBenchTests
{
    [Test]
    public async Task Scan_finds_exactly_the_configured_units_counting_an_exception_as_a_device()
    {
        await using var server = await ModbusTestServer.StartAsync(1, 17, 247);
        server.Units[17].ReadGuard = (_, _, _) => ModbusExceptionCode.IllegalDataAddress;

        var (exit, output) = await CivicRun.RunAsync("modbus", "scan", "--tcp", server.Endpoint, "--json");

        Assert.That(exit, Is.Zero, output);
        using var json = JsonDocument.Parse(output);
        var units = json.RootElement.GetProperty("units").EnumerateArray().ToList();
        Assert.That(units.Select(u => u.GetProperty("unit").GetInt32()), Is.EqualTo(new[] { 1, 17, 247 }));
        Assert.That(units[1].GetProperty("answer").GetString(), Is.EqualTo("exception 0x02 IllegalDataAddress"));
    }

    [Test]
    public async Task Scan_with_a_progress_bar_on_an_interactive_terminal_lists_the_units_in_range()
    {
        await using var server = await ModbusTestServer.StartAsync(3, 4, 40);
        var console = new TestConsole().Width(200).Interactive();

        var (exit, output) = await CivicRun.RunAsync(console, "modbus", "scan", "--tcp", server.Endpoint, "--from", "2", "--to", "10", "--probe", "coils:0");

        Assert.That(exit, Is.Zero, output);
        Assert.That(output, Does.Contain("2 of 9 unit ids answered"));
        Assert.That(output, Does.Not.Contain("40 "));
    }

    [Test]
    public async Task Scan_that_finds_nobody_says_so_and_exits_with_the_timeout_code()
    {
        await using var server = await ModbusTestServer.StartAsync(100);

        var (exit, output) = await CivicRun.RunAsync("modbus", "scan", "--tcp", server.Endpoint, "--from", "1", "--to", "5");

        Assert.That(exit, Is.EqualTo(ModbusExitCodes.Timeout));
        Assert.That(output, Does.Contain("No unit in 1..5 answered"));
    }

    [Test]
    public async Task Scan_refuses_a_probe_it_cannot_read()
    {
        var (exit, output) = await CivicRun.RunAsync("modbus", "scan", "--tcp", "127.0.0.1:502", "--probe", "eeprom:0");

        Assert.That(exit, Is.EqualTo(ModbusExitCodes.Usage));
        Assert.That(output, Does.Contain("--probe: expected holding:ADDR").And.Contain("found 'eeprom:0'"));
    }

    [Test]
    public async Task Bench_prints_polls_per_second_errors_and_latency_percentiles_as_json()
    {
        await using var server = await ModbusTestServer.StartAsync();

        var (exit, output) = await CivicRun.RunAsync("modbus", "bench", "--tcp", server.Endpoint, "--holding", "0", "10", "--count", "50", "--json");

        Assert.That(exit, Is.Zero, output);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.That(root.GetProperty("count").GetInt32(), Is.EqualTo(50));
        Assert.That(root.GetProperty("errors").GetInt32(), Is.Zero);
        Assert.That(root.GetProperty("registers").GetInt32(), Is.EqualTo(10));
        Assert.That(root.GetProperty("pollsPerSecond").GetDouble(), Is.GreaterThan(0));
        var latency = root.GetProperty("latencyMs");
        var figures = new[] { "min", "p50", "p95", "p99", "max" }.Select(name => latency.GetProperty(name).GetDouble()).ToList();
        Assert.That(figures, Is.Ordered);
        Assert.That(latency.GetProperty("avg").GetDouble(), Is.InRange(figures[0], figures[^1]));
    }

    [Test]
    public async Task Bench_counts_exception_responses_as_errors()
    {
        await using var server = await ModbusTestServer.StartAsync();
        server.Bank.ReadGuard = (_, _, _) => ModbusExceptionCode.ServerDeviceBusy;

        var (exit, output) = await CivicRun.RunAsync("modbus", "bench", "--tcp", server.Endpoint, "0", "10", "--count", "5", "--json");

        Assert.That(exit, Is.EqualTo(ModbusExitCodes.ExceptionResponse));
        using var json = JsonDocument.Parse(output);
        Assert.That(json.RootElement.GetProperty("errors").GetInt32(), Is.EqualTo(5));
        Assert.That(json.RootElement.GetProperty("exceptions").GetInt32(), Is.EqualTo(5));
    }
}
