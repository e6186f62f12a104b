using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CivicEdge.Modbus;
using CivicEdge.Protocols.Modbus;
using Spectre.Console;

namespace CivicEdge.Fleet.Cli.Modbus;

/// <summary>
/// <c>civic modbus read|write|scan|bench|info</c>: the installer's Modbus tools, speaking to devices directly over TCP,
/// RTU or RTU over TCP through the gateway's own Modbus stack.
/// </summary>
public sealed class ModbusCommands
{
    private readonly IAnsiConsole _console;
    private readonly Option<bool> _json;
    private readonly TimeProvider _timeProvider;
    private readonly ModbusLinkOptions _link = new();

    private ModbusCommands(IAnsiConsole console, Option<bool> json, TimeProvider timeProvider)
    {
        _console = console;
        _json = json;
        _timeProvider = timeProvider;
    }

    /// <summary>The <c>modbus</c> command with its subcommands; <paramref name="json"/> is the root's <c>--json</c>.</summary>
    public static Command Build(IAnsiConsole console, Option<bool> json, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var commands = new ModbusCommands(console, json, timeProvider);
        var modbus = new Command("modbus", "Talk Modbus to field devices: read, write, scan a bus, benchmark a link");
        foreach (var option in commands._link.All)
            modbus.Options.Add(option);
        modbus.Subcommands.Add(commands.BuildRead());
        modbus.Subcommands.Add(commands.BuildWrite());
        modbus.Subcommands.Add(commands.BuildScan());
        modbus.Subcommands.Add(commands.BuildBench());
        modbus.Subcommands.Add(commands.BuildInfo());
        return modbus;
    }

    private Command BuildRead()
    {
        var holding = new Option<bool>("--holding") { Description = "Holding registers, function code 3 (the default)" };
        var input = new Option<bool>("--input") { Description = "Input registers, function code 4" };
        var coils = new Option<bool>("--coils") { Description = "Coils, function code 1" };
        var discrete = new Option<bool>("--discrete") { Description = "Discrete inputs, function code 2" };
        var address = AddressArgument();
        var count = new Argument<string>("COUNT") { Description = "How many values (registers for --type string, bits for --coils and --discrete)" };
        var (type, order) = TypeAndOrderOptions();
        var scale = new Option<string?>("--scale") { Description = "Multiply numbers by this factor, e.g. 0.1", HelpName = "X" };
        var read = new Command("read", "Read registers or bits and show them raw and decoded")
        {
            holding, input, coils, discrete, address, count, type, order, scale,
        };
        read.SetAction((parse, ct) => RunAsync(parse, defaultRetries: 1, async (link, master) =>
        {
            var table = PickTable(
                parse,
                [(holding, RegisterTable.HoldingRegisters), (input, RegisterTable.InputRegisters), (coils, RegisterTable.Coils), (discrete, RegisterTable.DiscreteInputs)],
                RegisterTable.HoldingRegisters);
            var start = ParseAddress(parse.GetValue(address)!);
            RequireUnicast(link, "a read");
            if (table is RegisterTable.Coils or RegisterTable.DiscreteInputs)
            {
                var given = new Option[] { type, order, scale }.Where(o => parse.GetResult(o) is not null).Select(o => o.Name).ToList();
                if (given.Count > 0)
                    throw new ModbusUsageException($"{string.Join(", ", given)} decode registers; found with --{TableName(table)}, which are single bits.");
                return await ReadBitsAsync(parse, link, master, table, start, ParseCount(parse.GetValue(count)!, "COUNT", 65536), ct);
            }

            var valueType = ParseType(parse.GetValue(type));
            var valueOrder = ParseOrder(parse.GetValue(order), valueType);
            var factor = parse.GetValue(scale) is { } scaleText ? ParseScale(scaleText) : (double?)null;
            var quantity = ParseCount(parse.GetValue(count)!, "COUNT", 65536);
            int perValue = valueType == ModbusValueType.String ? quantity : ModbusValueFormat.RegisterCount(valueType);
            int total = valueType == ModbusValueType.String ? quantity : checked(quantity * perValue);
            CheckRange(start, total);

            var registers = new ushort[total];
            for (int offset = 0; offset < total; offset += ModbusPdu.MaxReadRegisters)
            {
                int n = Math.Min(ModbusPdu.MaxReadRegisters, total - offset);
                var result = await master.ReadRegistersAsync(link.Unit, table, (ushort)(start + offset), registers.AsMemory(offset, n), ct);
                if (!result.IsOk)
                    return Fail(parse, link, result, $"a read of {n} {TableName(table)} registers at {start + offset}");
            }

            var rows = new List<(int Address, string Raw, ModbusValue Value)>();
            for (int offset = 0; offset < total; offset += perValue)
            {
                var raw = registers.AsSpan(offset, perValue);
                var value = ModbusValueFormat.Decode(raw, valueType, valueOrder);
                if (factor is { } f && value.Problem is null && (value.Integer ?? value.Number) is { } number)
                    value = new ModbusValue(Number: (double)number * f);
                rows.Add((start + offset, ModbusValueFormat.Hex(raw), value));
            }
            WriteRead(parse, link, table, $"{valueType.ToString().ToLowerInvariant()} {valueOrder}", factor, rows);
            return 0;
        }, ct));
        return read;
    }

    private async Task<int> ReadBitsAsync(ParseResult parse, ModbusLink link, IModbusMaster master, RegisterTable table, ushort start, int count, CancellationToken ct)
    {
        CheckRange(start, count);
        var bits = new bool[count];
        for (int offset = 0; offset < count; offset += ModbusPdu.MaxReadBits)
        {
            int n = Math.Min(ModbusPdu.MaxReadBits, count - offset);
            var result = await master.ReadBitsAsync(link.Unit, table, (ushort)(start + offset), bits.AsMemory(offset, n), ct);
            if (!result.IsOk)
                return Fail(parse, link, result, $"a read of {n} {TableName(table)} at {start + offset}");
        }
        var rows = bits.Select((bit, i) => (start + i, bit ? "1" : "0", new ModbusValue(Bit: bit))).ToList();
        WriteRead(parse, link, table, "bits", null, rows);
        return 0;
    }

    private Command BuildWrite()
    {
        var holding = new Option<bool>("--holding") { Description = "Holding registers: function code 6 for one register, 16 for several (the default)" };
        var coil = new Option<bool>("--coil") { Description = "Coils, VALUE on|off|1|0: function code 5 for one coil, 15 for several" };
        var address = AddressArgument();
        var values = new Argument<string[]>("VALUE") { Description = "Values to write from ADDR on, in the --type given", Arity = ArgumentArity.OneOrMore };
        var (type, order) = TypeAndOrderOptions();
        var write = new Command("write", "Write holding registers or coils") { holding, coil, address, values, type, order };
        write.SetAction((parse, ct) => RunAsync(parse, defaultRetries: 1, async (link, master) =>
        {
            var table = PickTable(parse, [(holding, RegisterTable.HoldingRegisters), (coil, RegisterTable.Coils)], RegisterTable.HoldingRegisters);
            var start = ParseAddress(parse.GetValue(address)!);
            var texts = parse.GetValue(values)!;
            if (table == RegisterTable.Coils)
            {
                var given = new Option[] { type, order }.Where(o => parse.GetResult(o) is not null).Select(o => o.Name).ToList();
                if (given.Count > 0)
                    throw new ModbusUsageException($"{string.Join(", ", given)} encode registers; found with --coil, which takes on|off|1|0.");
                var bits = texts.Select(ParseCoil).ToArray();
                if (bits.Length > ModbusPdu.MaxWriteBits)
                    throw new ModbusUsageException($"one write forces at most {ModbusPdu.MaxWriteBits} coils (function code 15); found {bits.Length} values.");
                CheckRange(start, bits.Length);
                var written = await master.WriteCoilsAsync(link.Unit, start, bits, ct);
                if (!written.IsOk)
                    return Fail(parse, link, written, $"a write of {bits.Length} coils at {start}");
                WriteWritten(parse, link, "coils", start, bits.Length, string.Concat(bits.Select(b => b ? '1' : '0')));
                return 0;
            }

            var valueType = ParseType(parse.GetValue(type));
            var valueOrder = ParseOrder(parse.GetValue(order), valueType);
            var registers = new List<ushort>();
            foreach (var text in texts)
            {
                registers.AddRange(ModbusValueFormat.TryEncode(text, valueType, valueOrder, out var problem)
                    ?? throw new ModbusUsageException($"VALUE: {problem}."));
            }
            if (registers.Count > ModbusPdu.MaxWriteRegisters)
                throw new ModbusUsageException($"one write carries at most {ModbusPdu.MaxWriteRegisters} registers (function code 16); the values given take {registers.Count}.");
            CheckRange(start, registers.Count);

            var result = await master.WriteRegistersAsync(link.Unit, start, registers.ToArray(), ct);
            if (!result.IsOk)
                return Fail(parse, link, result, $"a write of {registers.Count} holding registers at {start}");
            WriteWritten(parse, link, "holding", start, registers.Count, ModbusValueFormat.Hex(registers.ToArray()));
            return 0;
        }, ct));
        return write;
    }

    private Command BuildScan()
    {
        var from = new Option<string?>("--from") { Description = "First unit identifier to try (default 1)", HelpName = "N" };
        var to = new Option<string?>("--to") { Description = "Last unit identifier to try (default 247)", HelpName = "N" };
        var probe = new Option<string?>("--probe") { Description = "The cheap read each unit is asked for: holding|input|coils|discrete:ADDR (default holding:0)", HelpName = "TABLE:ADDR" };
        var scan = new Command("scan", "Find the unit identifiers that answer on a bus or behind a gateway") { from, to, probe };
        scan.SetAction((parse, ct) => RunAsync(parse, defaultRetries: 0, async (link, master) =>
        {
            int first = ParseUnit(parse.GetValue(from), 1, "--from");
            int last = ParseUnit(parse.GetValue(to), 247, "--to");
            if (first > last)
                throw new ModbusUsageException($"--from {first} --to {last}: expected --from no greater than --to.");
            if (first == 0 && link.Kind != ModbusLinkKind.Tcp)
                throw new ModbusUsageException("--from 0: unit 0 is the broadcast address on a serial bus and never answers; start at 1.");
            var (table, probeAddress) = ParseProbe(parse.GetValue(probe) ?? "holding:0");

            var found = new List<(int Unit, string Answer)>();
            var registers = new ushort[1];
            var bits = new bool[1];
            // A broken link ends the scan; it is reported after the progress bar is gone, not drawn into it.
            async Task<(int Unit, ModbusResult Result)?> ProbeAsync(int unit)
            {
                var result = table is RegisterTable.Coils or RegisterTable.DiscreteInputs
                    ? await master.ReadBitsAsync((byte)unit, table, probeAddress, bits, ct)
                    : await master.ReadRegistersAsync((byte)unit, table, probeAddress, registers, ct);
                switch (result.Outcome)
                {
                    case ModbusOutcome.Ok:
                        found.Add((unit, "ok"));
                        break;
                    // A gateway answers 0x0A/0x0B for a unit that is not behind it (§7): nobody is there.
                    case ModbusOutcome.Exception when result.ExceptionCode is not (ModbusExceptionCode.GatewayPathUnavailable or ModbusExceptionCode.GatewayTargetDeviceFailedToRespond):
                        found.Add((unit, $"exception 0x{(byte)result.ExceptionCode:X2} {ModbusFailure.ExceptionName(result.ExceptionCode)}"));
                        break;
                    // Garbled answers still mean something is on the line at that address.
                    case ModbusOutcome.Malformed:
                        found.Add((unit, $"malformed answer: {result.Detail}"));
                        break;
                    case ModbusOutcome.TransportError:
                        return (unit, result);
                }
                return null;
            }

            (int Unit, ModbusResult Result)? failure = null;
            if (!parse.GetValue(_json) && _console.Profile.Capabilities.Interactive)
            {
                await _console.Progress().AutoClear(true).StartAsync(async progress =>
                {
                    var task = progress.AddTask($"Scanning units {first}..{last}", maxValue: last - first + 1);
                    for (int unit = first; unit <= last && failure is null; unit++)
                    {
                        task.Description = $"Unit {unit} ({found.Count} found)";
                        failure = await ProbeAsync(unit);
                        task.Increment(1);
                    }
                });
            }
            else
            {
                for (int unit = first; unit <= last && failure is null; unit++)
                    failure = await ProbeAsync(unit);
            }

            if (failure is { } broken)
                return Fail(parse, link, broken.Result, $"the probe {TableName(table)}:{probeAddress}", (byte)broken.Unit);
            WriteScan(parse, link, first, last, $"{TableName(table)}:{probeAddress}", found);
            return found.Count > 0 ? 0 : ModbusExitCodes.Timeout;
        }, ct));
        return scan;
    }

    private Command BuildBench()
    {
        var holding = new Option<bool>("--holding") { Description = "Holding registers, function code 3 (the default)" };
        var input = new Option<bool>("--input") { Description = "Input registers, function code 4" };
        var address = AddressArgument();
        var registerCount = new Argument<string>("COUNT") { Description = $"Registers per poll, 1..{ModbusPdu.MaxReadRegisters}" };
        var polls = new Option<string?>("--count") { Description = "Polls to time (default 100)", HelpName = "N" };
        var bench = new Command("bench", "Read the same block again and again on one connection and measure polls per second and latency")
        {
            holding, input, address, registerCount, polls,
        };
        bench.SetAction((parse, ct) => RunAsync(parse, defaultRetries: 0, async (link, master) =>
        {
            var table = PickTable(parse, [(holding, RegisterTable.HoldingRegisters), (input, RegisterTable.InputRegisters)], RegisterTable.HoldingRegisters);
            var start = ParseAddress(parse.GetValue(address)!);
            var quantity = ParseCount(parse.GetValue(registerCount)!, "COUNT", ModbusPdu.MaxReadRegisters);
            var count = parse.GetValue(polls) is { } pollsText ? ParseCount(pollsText, "--count", 10_000_000) : 100;
            CheckRange(start, quantity);
            RequireUnicast(link, "a read");

            var registers = new ushort[quantity];
            // One untimed poll opens the connection, so that the figures are of polling, not of connecting.
            var opening = await master.ReadRegistersAsync(link.Unit, table, start, registers, ct);
            if (opening.Outcome == ModbusOutcome.TransportError)
                return Fail(parse, link, opening, "the first poll");

            var latencies = new List<double>(count);
            int timeouts = 0, exceptions = 0, errors = 0;
            long began = _timeProvider.GetTimestamp();
            for (int i = 0; i < count; i++)
            {
                long sent = _timeProvider.GetTimestamp();
                var result = await master.ReadRegistersAsync(link.Unit, table, start, registers, ct);
                var latency = _timeProvider.GetElapsedTime(sent);
                if (result.IsOk)
                {
                    latencies.Add(latency.TotalMilliseconds);
                    continue;
                }
                errors++;
                timeouts += result.Outcome == ModbusOutcome.Timeout ? 1 : 0;
                exceptions += result.Outcome == ModbusOutcome.Exception ? 1 : 0;
            }
            var seconds = _timeProvider.GetElapsedTime(began).TotalSeconds;

            var report = new ModbusBenchReport(
                link.ToString(), link.Unit, TableName(table), start, quantity, count, errors, timeouts, exceptions,
                Math.Round(seconds, 6), seconds > 0 ? Math.Round(latencies.Count / seconds, 1) : 0, Round(PollLatencySummary.From(latencies)));
            WriteBench(parse, report);
            return latencies.Count > 0 ? 0 : errors == exceptions ? ModbusExitCodes.ExceptionResponse : ModbusExitCodes.Timeout;
        }, ct));
        return bench;
    }

    private Command BuildInfo()
    {
        var level = new Option<string?>("--level") { Description = "Objects to ask for: basic (vendor, product code, revision; the default), regular or extended", HelpName = "LEVEL" };
        var info = new Command("info", "Read the device identification (function code 43 / MEI type 14): vendor, product code, revision, …") { level };
        info.SetAction((parse, ct) => RunAsync(parse, defaultRetries: 1, async (link, master) =>
        {
            var levelText = parse.GetValue(level) ?? "basic";
            var code = levelText.ToLowerInvariant() switch
            {
                "basic" => ModbusReadDeviceIdCode.Basic,
                "regular" => ModbusReadDeviceIdCode.Regular,
                "extended" => ModbusReadDeviceIdCode.Extended,
                _ => throw new ModbusUsageException($"--level: expected basic, regular or extended; found '{levelText}'."),
            };
            RequireUnicast(link, "a read");

            var identification = await master.ReadDeviceIdentificationAsync(link.Unit, code, 0, ct);
            if (!identification.Result.IsOk)
                return Fail(parse, link, identification.Result, $"a read of the {levelText} device identification");
            WriteInfo(parse, link, identification);
            return 0;
        }, ct));
        return info;
    }

    private async Task<int> RunAsync(ParseResult parse, int defaultRetries, Func<ModbusLink, IModbusMaster, Task<int>> action, CancellationToken cancellationToken)
    {
        var link = _link.Read(parse, defaultRetries, out var error);
        if (link is null)
            return Usage(parse, error!);
        try
        {
            await using var master = link.CreateMaster(_timeProvider);
            return await action(link, master);
        }
        catch (ModbusUsageException e)
        {
            return Usage(parse, e.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _console.MarkupLine("[yellow]cancelled[/]");
            return ModbusExitCodes.Cancelled;
        }
    }

    private int Usage(ParseResult parse, string message)
    {
        if (parse.GetValue(_json))
            WriteJson(w => { w.WriteStartObject("error"); w.WriteString("outcome", "usage"); w.WriteString("detail", message); w.WriteEndObject(); });
        else
            _console.MarkupLineInterpolated($"[red]error:[/] {message}");
        return ModbusExitCodes.Usage;
    }

    private int Fail(ParseResult parse, ModbusLink link, ModbusResult result, string what, byte? unit = null)
    {
        var message = ModbusFailure.Describe(result, link, unit ?? link.Unit, what);
        if (parse.GetValue(_json))
        {
            WriteJson(w =>
            {
                w.WriteStartObject("error");
                w.WriteString("outcome", JsonNamingPolicy.CamelCase.ConvertName(result.Outcome.ToString()));
                if (result.Outcome == ModbusOutcome.Exception)
                {
                    w.WriteNumber("exceptionCode", (byte)result.ExceptionCode);
                    w.WriteString("exceptionName", ModbusFailure.ExceptionName(result.ExceptionCode));
                }
                w.WriteString("detail", message);
                w.WriteEndObject();
            });
        }
        else
        {
            _console.MarkupLineInterpolated($"[red]error:[/] {message}");
        }
        return ModbusFailure.ExitCode(result);
    }

    private void WriteRead(
        ParseResult parse, ModbusLink link, RegisterTable table, string decoding, double? scale,
        List<(int Address, string Raw, ModbusValue Value)> rows)
    {
        if (parse.GetValue(_json))
        {
            WriteJson(w =>
            {
                w.WriteString("link", link.ToString());
                w.WriteNumber("unit", link.Unit);
                w.WriteString("table", TableName(table));
                w.WriteString("decoding", decoding);
                if (scale is { } s)
                    w.WriteNumber("scale", s);
                w.WriteStartArray("values");
                foreach (var (address, raw, value) in rows)
                {
                    w.WriteStartObject();
                    w.WriteNumber("address", address);
                    w.WriteString("raw", raw);
                    WriteValue(w, value);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            });
            return;
        }

        var grid = new Table().AddColumns("Address", "Raw", "Value");
        grid.Columns[2].RightAligned();
                foreach (var (address, raw, value) in rows)
        {
            grid.AddRow(
                $"{address} [grey](0x{address:X4})[/]",
                raw,
                value.Problem is { } problem ? $"[yellow]{Markup.Escape(problem)}[/]" : Markup.Escape(value.ToString()));
        }
        _console.Write(grid);
        _console.MarkupLine($"[grey]unit {link.Unit} at {Markup.Escape(link.ToString())} · {TableName(table)} · {decoding}[/]");
    }

    private void WriteWritten(ParseResult parse, ModbusLink link, string table, int address, int count, string raw)
    {
        if (parse.GetValue(_json))
        {
            WriteJson(w =>
            {
                w.WriteString("link", link.ToString());
                w.WriteNumber("unit", link.Unit);
                w.WriteString("table", table);
                w.WriteNumber("address", address);
                w.WriteNumber("written", count);
                w.WriteString("raw", raw);
            });
            return;
        }
        _console.MarkupLineInterpolated($"[green]wrote[/] {count} {table} {(count == 1 ? "entry" : "entries")} at {address} on unit {link.Unit} ({raw})");
    }

    private void WriteScan(ParseResult parse, ModbusLink link, int first, int last, string probe, List<(int Unit, string Answer)> found)
    {
        if (parse.GetValue(_json))
        {
            WriteJson(w =>
            {
                w.WriteString("link", link.ToString());
                w.WriteNumber("from", first);
                w.WriteNumber("to", last);
                w.WriteString("probe", probe);
                w.WriteStartArray("units");
                foreach (var (unit, answer) in found)
                {
                    w.WriteStartObject();
                    w.WriteNumber("unit", unit);
                    w.WriteString("answer", answer);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            });
            return;
        }

        if (found.Count == 0)
        {
            _console.MarkupLineInterpolated($"[yellow]No unit in {first}..{last} answered[/] at {link} (probe {probe}, timeout {link.Timeout.TotalMilliseconds:0} ms).");
            return;
        }
        var grid = new Table().AddColumns("Unit", "Answer to " + probe);
        foreach (var (unit, answer) in found)
            grid.AddRow(unit.ToString(CultureInfo.InvariantCulture), Markup.Escape(answer));

        _console.Write(grid);
        _console.MarkupLine($"[grey]{found.Count} of {last - first + 1} unit ids answered at {Markup.Escape(link.ToString())}[/]");
    }

    private void WriteBench(ParseResult parse, ModbusBenchReport report)
    {
        if (parse.GetValue(_json))
        {
            _console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(report, ModbusCliJson.Default.ModbusBenchReport));
            return;
        }
        var l = report.LatencyMs;
        var grid = new Table().AddColumns("Polls", "Errors", "Polls/s", "min ms", "avg ms", "p50 ms", "p95 ms", "p99 ms", "max ms");
        grid.AddRow(
            [.. new object[] { report.Count, report.Errors, report.PollsPerSecond, l.Min, l.Avg, l.P50, l.P95, l.P99, l.Max }
                .Select(v => string.Format(CultureInfo.InvariantCulture, "{0}", v))]);

        _console.Write(grid);
        _console.MarkupLine($"[grey]{report.Registers} {report.Table} registers at {report.Address}, unit {report.Unit} at {Markup.Escape(report.Link)}[/]");
    }

    private void WriteInfo(ParseResult parse, ModbusLink link, ModbusDeviceIdentificationResult identification)
    {
        if (parse.GetValue(_json))
        {
            WriteJson(w =>
            {
                w.WriteString("link", link.ToString());
                w.WriteNumber("unit", link.Unit);
                w.WriteNumber("conformityLevel", identification.ConformityLevel);
                w.WriteStartArray("objects");
                foreach (var found in identification.Objects)
                {
                    w.WriteStartObject();
                    w.WriteNumber("id", found.Id);
                    w.WriteString("name", ObjectName(found.Id));
                    w.WriteString("value", found.Value);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            });
            return;
        }

        var grid = new Table().AddColumns("Object", "Value");
        foreach (var found in identification.Objects)
            grid.AddRow($"0x{found.Id:X2} {ObjectName(found.Id)}", Markup.Escape(found.Value));

        _console.Write(grid);
        _console.MarkupLine($"[grey]unit {link.Unit} at {Markup.Escape(link.ToString())} · conformity level 0x{identification.ConformityLevel:X2}[/]");
    }

    /// <summary>The names of the standard objects (§6.21, table of object ids); 0x07..0x7F are reserved, 0x80.. vendor-defined.</summary>
    private static string ObjectName(byte id) => id switch
    {
        ModbusDeviceObject.VendorName => "VendorName",
        ModbusDeviceObject.ProductCode => "ProductCode",
        ModbusDeviceObject.MajorMinorRevision => "MajorMinorRevision",
        ModbusDeviceObject.VendorUrl => "VendorUrl",
        ModbusDeviceObject.ProductName => "ProductName",
        ModbusDeviceObject.ModelName => "ModelName",
        ModbusDeviceObject.UserApplicationName => "UserApplicationName",
        >= 0x80 => "vendor-defined",
        _ => "reserved",
    };

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

    private static void WriteValue(Utf8JsonWriter w, ModbusValue value)
    {
        if (value.Problem is { } problem)
        {
            w.WriteNull("value");
            w.WriteString("problem", problem);
        }
        else if (value.Text is { } text)
        {
            w.WriteString("value", text);
        }
        else if (value.Bit is { } bit)
        {
            w.WriteBoolean("value", bit);
        }
        else if (value.Integer is { } integer)
        {
            w.WriteNumber("value", integer);
        }
        else if (value.Number is { } number && double.IsFinite(number))
        {
            w.WriteNumber("value", number);
        }
        else
        {
            // JSON has no NaN or infinity; a float register holding one is shown as text rather than dropped.
            w.WriteString("value", value.Number?.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static PollLatencySummary Round(PollLatencySummary s) =>
        new(Math.Round(s.Min, 3), Math.Round(s.Avg, 3), Math.Round(s.P50, 3), Math.Round(s.P95, 3), Math.Round(s.P99, 3), Math.Round(s.Max, 3));

    private static Argument<string> AddressArgument() =>
        new("ADDR") { Description = "Zero-based protocol address, decimal or 0x hex (register 40001 of a manual is 0)" };

    private static (Option<string?> Type, Option<string?> Order) TypeAndOrderOptions() => (
        new Option<string?>("--type") { Description = "uint16 (default), int16, uint32, int32, int64, float32, float64, bcd16, bcd32 or string", HelpName = "TYPE" },
        new Option<string?>("--order") { Description = "Byte order of multi-register values: ABCD (default), CDAB, BADC or DCBA", HelpName = "ORDER" });

    private static bool ParseCoil(string text) => text.ToLowerInvariant() switch
    {
        "on" or "1" or "true" => true,
        "off" or "0" or "false" => false,
        _ => throw new ModbusUsageException($"VALUE: expected a coil state on, off, 1 or 0; found '{text}'."),
    };

    private static RegisterTable PickTable(ParseResult parse, (Option<bool> Flag, RegisterTable Table)[] choices, RegisterTable fallback)
    {
        var chosen = choices.Where(c => parse.GetValue(c.Flag)).ToList();
        if (chosen.Count > 1)
            throw new ModbusUsageException($"expected one table; found {string.Join(" and ", chosen.Select(c => c.Flag.Name))}.");
        return chosen.Count == 1 ? chosen[0].Table : fallback;
    }

    private static string TableName(RegisterTable table) => table switch
    {
        RegisterTable.HoldingRegisters => "holding",
        RegisterTable.InputRegisters => "input",
        RegisterTable.Coils => "coils",
        _ => "discrete",
    };

    /// <summary>A protocol address, decimal or 0x hex, 0..65535.</summary>
    public static ushort ParseAddress(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        bool ok = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ushort.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var address)
            : ushort.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out address);
        return ok ? address : throw new ModbusUsageException($"ADDR: expected a register address 0..65535 in decimal or 0x hex (e.g. 100 or 0x64); found '{text}'.");
    }

    private static int ParseCount(string text, string name, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count >= 1 && count <= max
            ? count
            : throw new ModbusUsageException($"{name}: expected a count 1..{max}; found '{text}'.");

    private static int ParseUnit(string? text, int fallback, string name) =>
        text is null ? fallback
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var unit) && unit <= 255 ? unit
        : throw new ModbusUsageException($"{name}: expected a unit identifier 0..255; found '{text}'.");

    private static double ParseScale(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var scale) && double.IsFinite(scale)
            ? scale
            : throw new ModbusUsageException($"--scale: expected a number such as 0.1 or 1000; found '{text}'.");

    private static ModbusValueType ParseType(string? text) =>
        text is null ? ModbusValueType.UInt16
        : Enum.TryParse<ModbusValueType>(text, ignoreCase: true, out var type) && Enum.IsDefined(type) && !char.IsDigit(text[0]) ? type
        : throw new ModbusUsageException($"--type: expected uint16, int16, uint32, int32, int64, float32, float64, bcd16, bcd32 or string; found '{text}'.");

    private static RegisterOrder ParseOrder(string? text, ModbusValueType type)
    {
        var order = text is null ? RegisterOrder.ABCD
            : Enum.TryParse<RegisterOrder>(text, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !char.IsDigit(text[0]) ? parsed
            : throw new ModbusUsageException($"--order: expected ABCD, CDAB, BADC or DCBA; found '{text}'.");
        return ModbusValueFormat.Supports(type, order)
            ? order
            : throw new ModbusUsageException($"--order {order}: a string is read high byte first (ABCD) or low byte first (BADC); word orders do not apply.");
    }

    private static (RegisterTable Table, ushort Address) ParseProbe(string text)
    {
        var parts = text.Split(':');
        var table = parts[0].ToLowerInvariant() switch
        {
            "holding" => RegisterTable.HoldingRegisters,
            "input" => RegisterTable.InputRegisters,
            "coils" => RegisterTable.Coils,
            "discrete" => RegisterTable.DiscreteInputs,
            _ => (RegisterTable?)null,
        };
        if (parts.Length != 2 || table is null)
            throw new ModbusUsageException($"--probe: expected holding:ADDR, input:ADDR, coils:ADDR or discrete:ADDR, e.g. holding:0; found '{text}'.");
        return (table.Value, ParseAddress(parts[1]));
    }

    private static void CheckRange(ushort start, int registers)
    {
        if (start + registers > 65536)
            throw new ModbusUsageException($"ADDR {start} plus {registers} registers runs past the last address, 65535.");
    }

    private static void RequireUnicast(ModbusLink link, string what)
    {
        if (link.Unit == 0 && link.Kind != ModbusLinkKind.Tcp)
            throw new ModbusUsageException($"--unit 0 is the broadcast address on a serial bus, which never answers {what}; expected 1..247.");
    }
}
