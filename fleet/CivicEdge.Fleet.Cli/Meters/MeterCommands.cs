using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CivicEdge.Meters;
using CivicEdge.Fleet.Cli.Modbus;
using CivicEdge.Protocols.Meters;
using CivicEdge.Protocols.Meters.CjT188;
using CivicEdge.Protocols.Meters.Dlt645;
using CivicEdge.Transports;
using Spectre.Console;

namespace CivicEdge.Fleet.Cli.Meters;

/// <summary>
/// <c>civic dlt645 read</c> and <c>civic cjt188 read</c>: read one meter directly, on a serial line (2400 8E1 by
/// default, the common setting of both standards' meters) or through a transparent serial-to-Ethernet converter.
/// </summary>
public sealed class MeterCommands
{
    private readonly IAnsiConsole _console;
    private readonly Option<bool> _json;
    private readonly TimeProvider _timeProvider;
    private readonly Option<string?> _serial = new("--serial") { Description = "Serial port, e.g. /dev/ttyUSB0", HelpName = "PATH", Recursive = true };
    private readonly Option<string?> _tcp = new("--tcp") { Description = "Transparent serial-to-Ethernet converter, HOST:PORT", HelpName = "HOST:PORT", Recursive = true };
    private readonly Option<int> _baud = new("--baud") { Description = "Baud rate (default 2400)", DefaultValueFactory = _ => 2400, Recursive = true };
    private readonly Option<string?> _timeout = new("--timeout") { Description = "Response timeout per attempt, e.g. 1500ms (default 1500ms)", HelpName = "DURATION", Recursive = true };
    private readonly Option<int> _retries = new("--retries") { Description = "Further attempts after no valid answer (default 2)", DefaultValueFactory = _ => 2, Recursive = true };
    private readonly Option<string?> _address = new("--address") { Description = "Meter address in digits, A for wildcard (default: all A, a lone meter)", HelpName = "DIGITS", Recursive = true };

    private MeterCommands(IAnsiConsole console, Option<bool> json, TimeProvider timeProvider)
    {
        _console = console;
        _json = json;
        _timeProvider = timeProvider;
    }

    /// <summary>The <c>dlt645</c> and <c>cjt188</c> commands; <paramref name="json"/> is the root's <c>--json</c>.</summary>
    public static IEnumerable<Command> Build(IAnsiConsole console, Option<bool> json, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(timeProvider);
        yield return new MeterCommands(console, json, timeProvider).BuildDlt645();
        yield return new MeterCommands(console, json, timeProvider).BuildCjT188();
    }

    private Command BuildDlt645()
    {
        var di = new Option<string>("--di") { Description = "Data identifier DI3..DI0 in hex (default 00010000, forward active energy total)", DefaultValueFactory = _ => "00010000" };
        var v1997 = new Option<bool>("--v1997") { Description = "DL/T 645-1997: 2-byte identifiers, e.g. --di 9010" };
        var read = new Command("read", "Read one data item and show it scaled with its unit") { di, v1997 };
        read.SetAction((parse, ct) => RunAsync(parse, async (channel, options) =>
        {
            var version = parse.GetValue(v1997) ? Dlt645Version.V1997 : Dlt645Version.V2007;
            var address = ParseAddress(parse.GetValue(_address), Dlt645Framer.AddressLength);
            var diText = parse.GetValue(di)!;
            if (!uint.TryParse(diText, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var identifier)
                || diText.Length != (version == Dlt645Version.V2007 ? 8 : 4))
                throw new MeterUsageException($"--di: expected {(version == Dlt645Version.V2007 ? 8 : 4)} hex digits, found '{diText}'.");

            using var master = new Dlt645Master(channel, options, version, _timeProvider);
            var result = await master.ReadAsync(address, identifier, ct);
            if (!result.Succeeded)
                return Fail(parse, MeterExitCodes.NoAnswer, "noAnswer", result.Reason);
            var reply = result.Value;
            if (reply.Kind == Dlt645ReplyKind.Error)
                return Fail(parse, MeterExitCodes.Refused, "refused", $"meter {reply.Address} answered abnormally: {reply.Errors}");
            bool decoded = reply.TryReadValue(version, out var item, out var value, out var reason);
            Show(parse, reply.Address.Digits, $"{identifier:X}", Convert.ToHexString(reply.Value), decoded ? [(item!.Quantity, value, item.Unit)] : [], decoded ? null : reason);
            return 0;
        }, ct));
        return new Command("dlt645", "Talk DL/T 645 to electricity meters") { _serial, _tcp, _baud, _timeout, _retries, _address, read };
    }

    private Command BuildCjT188()
    {
        var type = new Option<string>("--type") { Description = "Meter type T in hex: 10 cold water, 11 hot water, 20 heat, 30 gas (default 10)", DefaultValueFactory = _ => "10" };
        var order = new Option<string?>("--di-order") { Description = "How the meters send DI 901F: high (90 1F) or low (1F 90); from the meter's profile", HelpName = "high|low", Required = true };
        var read = new Command("read", "Read meter data (DI 901F): cumulative flow or heat, meter time, valve and battery") { type, order };
        read.SetAction((parse, ct) => RunAsync(parse, async (channel, options) =>
        {
            var address = ParseAddress(parse.GetValue(_address), CjT188Framer.AddressLength);
            var typeText = parse.GetValue(type)!;
            if (typeText.Length != 2 || !byte.TryParse(typeText, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var typeCode))
                throw new MeterUsageException($"--type: expected two hex digits such as 10, 20 or 30, found '{typeText}'.");
            var diOrder = parse.GetValue(order)?.ToLowerInvariant() switch
            {
                "high" => CjT188IdentifierOrder.HighByteFirst,
                "low" => CjT188IdentifierOrder.LowByteFirst,
                var other => throw new MeterUsageException($"--di-order: expected high or low, found '{other}'."),
            };

            using var master = new CjT188Master(channel, options, diOrder, _timeProvider);
            var meterType = (CjT188MeterType)typeCode;
            var result = await master.ReadMeterDataAsync(meterType, address, ct);
            if (!result.Succeeded)
                return Fail(parse, result.Reason.Contains("abnormally", StringComparison.Ordinal) ? MeterExitCodes.Refused : MeterExitCodes.NoAnswer,
                    result.Reason.Contains("abnormally", StringComparison.Ordinal) ? "refused" : "noAnswer", result.Reason);
            var reply = result.Value;
            var raw = Convert.ToHexString(reply.Payload);
            if (meterType is CjT188MeterType.Heat or CjT188MeterType.Cooling)
            {
                if (!CjT188HeatMeterData.TryDecode(reply.Payload, out var heat, out var reason))
                    return Fail(parse, MeterExitCodes.Refused, "malformed", $"meter {reply.Address}: {reason}; data {raw}");
                Show(parse, reply.Address.Digits, "901F", raw,
                [
                    ("current heat", heat.CurrentHeat, Unit(heat.CurrentHeatUnit)), ("settlement-date heat", heat.SettlementHeat, Unit(heat.SettlementHeatUnit)),
                    ("heat power", heat.HeatPower, Unit(heat.HeatPowerUnit)), ("flow rate", heat.FlowRate, Unit(heat.FlowRateUnit)),
                    ("cumulative flow", heat.CumulativeFlow, Unit(heat.CumulativeFlowUnit)), ("supply temperature", heat.SupplyTemperature, "°C"),
                    ("return temperature", heat.ReturnTemperature, "°C"), ("working time", heat.WorkingHours, "h"),
                ], null, heat.MeterTime, heat.Status);
                return 0;
            }

            if (!CjT188MeterData.TryDecode(reply.Payload, out var data, out var why))
                return Fail(parse, MeterExitCodes.Refused, "malformed", $"meter {reply.Address}: {why}; data {raw}");
            Show(parse, reply.Address.Digits, "901F", raw,
                [("current cumulative flow", data.Current, Unit(data.CurrentUnit)), ("settlement-date cumulative flow", data.Settlement, Unit(data.SettlementUnit))],
                null, data.MeterTime, data.Status);
            return 0;
        }, ct));
        return new Command("cjt188", "Talk CJ/T 188 to water, gas and heat meters") { _serial, _tcp, _baud, _timeout, _retries, _address, read };
    }

    private static string Unit(CjT188Unit unit) =>
        CjT188UnitTable.TryDescribe((byte)unit, out var symbol, out var factor) ? factor == 1 ? symbol : $"{symbol} x {factor}" : $"unit {(byte)unit:X2}H";

    private static MeterAddress ParseAddress(string? text, int byteLength)
    {
        if (text is null)
            return MeterAddress.Wildcard(byteLength);
        try
        {
            return MeterAddress.Parse(text, byteLength);
        }
        catch (ArgumentException e)
        {
            throw new MeterUsageException($"--address: {e.Message}");
        }
    }

    private async Task<int> RunAsync(ParseResult parse, Func<IByteChannel, MeterLineOptions, Task<int>> action, CancellationToken cancellationToken)
    {
        try
        {
            var serial = parse.GetValue(_serial);
            var tcp = parse.GetValue(_tcp);
            if ((serial is null) == (tcp is null))
                throw new MeterUsageException("expected exactly one of --serial PATH or --tcp HOST:PORT" + (serial is null ? "; found neither." : "; found both."));
            var options = new MeterLineOptions { Retries = parse.GetValue(_retries) };
            if (parse.GetValue(_timeout) is { } timeoutText)
            {
                if (!ModbusLinkOptions.TryParseDuration(timeoutText, out var timeout))
                    throw new MeterUsageException($"--timeout: expected a duration such as 1500ms or 2s, found '{timeoutText}'.");
                options.ResponseTimeout = timeout;
            }

            try
            {
                options.Validate();
            }
            catch (ArgumentException e)
            {
                throw new MeterUsageException(e.Message);
            }

            IByteChannel channel;
            if (tcp is not null)
            {
                if (!ModbusLinkOptions.TryParseHostPort(tcp, out var host, out var port))
                    throw new MeterUsageException($"--tcp: expected HOST:PORT, found '{tcp}'.");
                channel = new TcpClientChannel(host, port, TimeSpan.FromSeconds(5), _timeProvider);
            }
            else
            {
                var line = new SerialChannelOptions { Path = serial!, BaudRate = parse.GetValue(_baud), Parity = SerialParity.Even };
                try
                {
                    line.Validate();
                }
                catch (ArgumentException e)
                {
                    throw new MeterUsageException(e.Message);
                }

                channel = new SerialChannel(line, _timeProvider);
            }

            try
            {
                return await action(channel, options);
            }
            finally
            {
                // The master owns the channel once it exists; this also closes it after a usage error found before.
                channel.Dispose();
            }
        }
        catch (MeterUsageException e)
        {
            return Fail(parse, MeterExitCodes.Usage, "usage", e.Message);
        }
        catch (IOException e)
        {
            return Fail(parse, MeterExitCodes.LinkFailure, "linkFailure", e.Message);
        }
    }

    private void Show(
        ParseResult parse, string address, string identifier, string raw, IReadOnlyList<(string Quantity, decimal Value, string Unit)> values, string? undecoded,
        DateTime? meterTime = null, CjT188Status? status = null)
    {
        if (parse.GetValue(_json))
        {
            WriteJson(w =>
            {
                w.WriteString("address", address);
                w.WriteString("identifier", identifier);
                w.WriteString("raw", raw);
                w.WriteStartArray("values");
                foreach (var (quantity, value, unit) in values)
                {
                    w.WriteStartObject();
                    w.WriteString("quantity", quantity);
                    w.WriteNumber("value", value);
                    w.WriteString("unit", unit);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                if (undecoded is not null)
                    w.WriteString("undecoded", undecoded);
                if (meterTime is { } time)
                    w.WriteString("meterTime", time.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));
                if (status is { } st)
                {
                    w.WriteString("valve", st.Valve.ToString());
                    w.WriteBoolean("batteryLow", st.BatteryLow);
                }
            });
            return;
        }

        _console.MarkupLineInterpolated($"meter [bold]{address}[/]  DI {identifier}  raw {raw}");
        foreach (var (quantity, value, unit) in values)
            _console.MarkupLineInterpolated($"  {quantity,-32} {value.ToString(CultureInfo.InvariantCulture),14} {unit}");
        if (undecoded is not null)
            _console.MarkupLineInterpolated($"  [yellow]{undecoded}[/]");
        if (meterTime is { } t)
            _console.MarkupLineInterpolated($"  meter time {t:yyyy-MM-dd HH:mm:ss}");
        if (status is { } s)
            _console.MarkupLineInterpolated($"  {s}");
    }

    private int Fail(ParseResult parse, int exitCode, string outcome, string message)
    {
        if (parse.GetValue(_json))
            WriteJson(w => { w.WriteStartObject("error"); w.WriteString("outcome", outcome); w.WriteString("detail", message); w.WriteEndObject(); });
        else
            _console.MarkupLineInterpolated($"[red]error:[/] {message}");
        return exitCode;
    }

    private void WriteJson(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        // Plain text: JSON must not be parsed as Spectre markup or wrapped at the console width.
        _console.Profile.Out.Writer.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
