using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using CivicEdge.Fleet.Cli.Modbus;
using CivicEdge.Protocols.Modbus;

namespace CivicEdge.Fleet.Cli.Tests.Modbus;

[Category("Integration")]
public sealed class ModbusFailureTests
{
    [Test]
    public async Task An_exception_response_prints_its_code_and_name_and_exits_with_the_exception_code()
    {
        await using var server = await ModbusTestServer.StartAsync();
        server.Bank.ReadGuard = (_, address, _) => address >= 1000 ? ModbusExceptionCode.IllegalDataAddress : ModbusExceptionCode.None;

        var (exit, output) = await CivicRun.RunAsync("modbus", "read", "--tcp", server.Endpoint, "1000", "2");

        Assert.That(exit, Is.EqualTo(ModbusExitCodes.ExceptionResponse));
        Assert.That(output, Does.Contain("exception 0x02 IllegalDataAddress").And.Contain("unit 1"));
    }

    [Test]
    public async Task An_exception_response_with_json_gives_the_code_and_name_as_fields()
    {
        await using var server = await ModbusTestServer.StartAsync();
        server.Bank.WriteGuard = (_, _, _) => ModbusExceptionCode.ServerDeviceBusy;

        var (exit, output) = await CivicRun.RunAsync("modbus", "write", "--tcp", server.Endpoint, "0", "7", "--json");

        Assert.That(exit, Is.EqualTo(ModbusExitCodes.ExceptionResponse));
        using var json = JsonDocument.Parse(output);
        var error = json.RootElement.GetProperty("error");
        Assert.That(error.GetProperty("outcome").GetString(), Is.EqualTo("exception"));
        Assert.That(error.GetProperty("exceptionCode").GetInt32(), Is.EqualTo(6));
        Assert.That(error.GetProperty("exceptionName").GetString(), Is.EqualTo("ServerDeviceBusy"));
    }

    [Test]
    public async Task A_unit_the_gateway_does_not_know_is_an_exception_response_too()
    {
        await using var server = await ModbusTestServer.StartAsync();

        var (exit, output) = await CivicRun.RunAsync("modbus", "read", "--tcp", server.Endpoint, "--unit", "9", "0", "1");

        Assert.That(exit, Is.EqualTo(ModbusExitCodes.ExceptionResponse));
        Assert.That(output, Does.Contain("unit 9").And.Contain("0x0B GatewayTargetDeviceFailedToRespond"));
    }

    [Test]
    public async Task A_silent_device_times_out_with_the_timeout_exit_code()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var accepting = AcceptAndStaySilentAsync(silent);

        var (exit, output) = await CivicRun.RunAsync(
            "modbus", "read", "--tcp", $"127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}", "--timeout", "150ms", "--retries", "0", "0", "1");

        Assert.That(exit, Is.EqualTo(ModbusExitCodes.Timeout));
        Assert.That(output, Does.Contain("did not answer").And.Contain("150 ms"));
        silent.Stop();
        (await accepting)?.Dispose();
    }

    [Test]
    public async Task A_refused_connection_exits_with_the_link_failure_code()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var (exit, output) = await CivicRun.RunAsync("modbus", "read", "--tcp", $"127.0.0.1:{port}", "--retries", "0", "0", "1");

        Assert.That(exit, Is.EqualTo(ModbusExitCodes.LinkFailure));
        Assert.That(output, Does.Contain($"127.0.0.1:{port}"));
    }

    [Test]
    public async Task A_missing_endpoint_says_which_options_were_expected()
    {
        var (exit, output) = await CivicRun.RunAsync("modbus", "read", "0", "1");

        Assert.That(exit, Is.EqualTo(ModbusExitCodes.Usage));
        Assert.That(output, Does.Contain("expected one of --tcp HOST:PORT, --rtu PATH").And.Contain("found none"));
    }

    [TestCase("--tcp", "plc.local", "--tcp: expected HOST:PORT", "found 'plc.local'")]
    [TestCase("--tcp", "plc.local:99999", "--tcp: expected HOST:PORT", "found 'plc.local:99999'")]
    [TestCase("--rtu-over-tcp", "::1:502", "--rtu-over-tcp: expected HOST:PORT", "found '::1:502'")]
    public async Task A_malformed_endpoint_says_what_was_expected_and_what_was_found(string option, string value, string expected, string found)
    {
        var (exit, output) = await CivicRun.RunAsync("modbus", "read", option, value, "0", "1");

        Assert.That(exit, Is.EqualTo(ModbusExitCodes.Usage));
        Assert.That(output, Does.Contain(expected).And.Contain(found));
    }

    [Test]
    public async Task Two_endpoints_at_once_are_refused()
    {
        var (exit, output) = await CivicRun.RunAsync("modbus", "read", "--tcp", "a:502", "--rtu", "/dev/ttyUSB0", "0", "1");

        Assert.That(exit, Is.EqualTo(ModbusExitCodes.Usage));
        Assert.That(output, Does.Contain("expected exactly one Modbus endpoint").And.Contain("--tcp a:502 and --rtu /dev/ttyUSB0"));
    }

    [Test]
    public async Task Serial_line_options_with_a_tcp_endpoint_are_refused()
    {
        var (exit, output) = await CivicRun.RunAsync("modbus", "read", "--tcp", "a:502", "--baud", "9600", "0", "1");

        Assert.That(exit, Is.EqualTo(ModbusExitCodes.Usage));
        Assert.That(output, Does.Contain("--baud set the serial line of --rtu"));
    }

    [TestCase("--parity", "X", "--parity: expected N, E or O; found 'X'")]
    [TestCase("--baud", "fast", "--baud: expected a baud rate")]
    [TestCase("--stop-bits", "3", "--stop-bits: expected 1 or 2 stop bits; found '3'")]
    [TestCase("--unit", "248", "--unit: expected a unit identifier 0..247; found '248'")]
    [TestCase("--timeout", "5", "--timeout: expected a duration such as 1s")]
    public async Task A_bad_serial_setting_names_the_option_and_the_value(string option, string value, string message)
    {
        var (exit, output) = await CivicRun.RunAsync("modbus", "read", "--rtu", "/dev/ttyUSB0", option, value, "0", "1");

        Assert.That(exit, Is.EqualTo(ModbusExitCodes.Usage));
        Assert.That(output, Does.Contain(message));
    }

    [TestCase("read", "70000", "1", "ADDR: expected a register address 0..65535")]
    [TestCase("read", "0", "0", "COUNT: expected a count 1..65536; found '0'")]
    [TestCase("read", "65535", "2", "ADDR 65535 plus 2 registers runs past the last address")]
    [TestCase("write", "0", "70000", "VALUE: expected a uint16 (0..65535, decimal or 0x hex); found '70000'")]
    public async Task A_bad_address_count_or_value_is_refused_before_anything_is_sent(string command, string first, string second, string message)
    {
        await using var server = await ModbusTestServer.StartAsync();

        var (exit, output) = await CivicRun.RunAsync("modbus", command, "--tcp", server.Endpoint, first, second);

        Assert.That(exit, Is.EqualTo(ModbusExitCodes.Usage));
        Assert.That(output, Does.Contain(message));
    }

    [Test]
    public async Task A_type_for_coils_is_refused_because_coils_are_bits()
    {
        var (exit, output) = await CivicRun.RunAsync("modbus", "read", "--tcp", "127.0.0.1:502", "--coils", "0", "8", "--type", "float32");

        Assert.That(exit, Is.EqualTo(ModbusExitCodes.Usage));
        Assert.That(output, Does.Contain("--type decode registers"));
    }

    private static async Task<Socket?> AcceptAndStaySilentAsync(TcpListener listener)
    {
        try
        {
            return await listener.AcceptSocketAsync();
        }
        catch (SocketException)
        {
            return null;
        }
        catch (ObjectDisposedException)
        {
            return null;
        }
    }
}
