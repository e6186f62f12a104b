using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CivicEdge.MBus;
using CivicEdge.Protocols.MBus;
using Spectre.Console;

namespace CivicEdge.Fleet.Cli.MBus;

/// <summary>
/// <c>civic mbus decode --file PATH</c> decodes an M-Bus telegram an installer captured (a long frame written as hex
/// bytes, "68 1F 1F 68 08 …") with the gateway's own codec, offline; <c>civic mbus read</c> and <c>scan</c> talk to
/// meters on a serial M-Bus (2400 8E1 by default) or through a transparent TCP converter with the gateway's master.
/// </summary>
public static class MbusCommands
{
    public static Command Build(IAnsiConsole console, Option<bool> json)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(json);
        var mbus = new Command("mbus", "M-Bus meters (EN 13757): read and scan a bus, decode captured telegrams");
        mbus.Subcommands.Add(BuildDecode(console, json));
        mbus.Subcommands.Add(BuildRead(console, json));
        mbus.Subcommands.Add(BuildScan(console, json));
        return mbus;
    }

    private static Command BuildDecode(IAnsiConsole console, Option<bool> json)
    {
        var file = new Option<string>("--file") { Description = "A file holding one telegram as hex bytes, e.g. 68 1F 1F 68 08 01 72 …", Required = true };
        var decode = new Command("decode", "Decode an M-Bus telegram and print its header and every record (quantity, unit, value)") { file };
        decode.SetAction(parse =>
        {
            string path = parse.GetValue(file)!;
            if (!TryReadHex(path, out var bytes, out string? problem))
            {
                console.MarkupLineInterpolated($"[red]error:[/] {problem}");
                return MbusExitCodes.Usage;
            }

            var frame = MbusFramer.Decode(bytes);
            if (frame.Status != MbusDecodeStatus.Complete)
            {
                string reason = frame.Error ?? $"expected a whole frame, found {bytes.Length} bytes that end before it does";
                if (parse.GetValue(json))
                    WriteJson(console, null, null, reason);
                else
                    console.MarkupLineInterpolated($"[red]error:[/] {path}: {reason}");
                return MbusExitCodes.Malformed;
            }

            MbusTelegram? telegram = frame.Type == MbusFrameType.Long || frame.Type == MbusFrameType.Control
                ? MbusApplicationDecoder.Decode(frame.ApplicationData(bytes))
                : null;
            string? error = telegram?.Error;
            if (parse.GetValue(json))
                WriteJson(console, frame, telegram, error);
            else
                WriteTable(console, path, frame, telegram);
            return error is null ? 0 : MbusExitCodes.Malformed;
        });
        return decode;
    }

    private sealed record LinkOptions(Option<string?> Serial, Option<string?> Tcp, Option<int> Baud, Option<string> Timeout, Option<int> Retries)
    {
        public static LinkOptions Create() => new(
            new Option<string?>("--serial") { Description = "The M-Bus level converter's serial port, e.g. /dev/ttyUSB0", HelpName = "PATH" },
            new Option<string?>("--tcp") { Description = "A transparent M-Bus-to-TCP converter, HOST:PORT", HelpName = "HOST:PORT" },
            new Option<int>("--baud") { Description = "Serial speed, 300..38400 (default 2400, 8E1)", DefaultValueFactory = _ => 2400 },
            new Option<string>("--timeout") { Description = "Response timeout per attempt, e.g. 2s or 500ms (default 2s)", DefaultValueFactory = _ => "2s" },
            new Option<int>("--retries") { Description = "Further attempts after a timeout or a damaged answer (default 2)", DefaultValueFactory = _ => 2 });

        public IEnumerable<Option> All => [Serial, Tcp, Baud, Timeout, Retries];

        /// <summary>The master the options describe, or null with the reason for the person at the terminal.</summary>
        public MbusMaster? Open(ParseResult parse, out string? error)
        {
            error = null;
            string? serial = parse.GetValue(Serial);
            string? tcp = parse.GetValue(Tcp);
            if ((serial is null) == (tcp is null))
            {
                error = serial is null
                    ? "no M-Bus link: expected --serial PATH or --tcp HOST:PORT; found neither."
                    : $"expected one M-Bus link; found --serial {serial} and --tcp {tcp}.";
                return null;
            }
            if (!TryDuration(parse.GetValue(Timeout)!, out var timeout))
            {
                error = $"--timeout: expected a duration such as 2s or 500ms; found '{parse.GetValue(Timeout)}'.";
                return null;
            }
            var options = new MbusMasterOptions { ResponseTimeout = timeout, Retries = parse.GetValue(Retries) };
            try
            {
                options.Validate();
                if (serial is not null)
                {
                    int baud = parse.GetValue(Baud);
                    if (baud is < 300 or > 38400)
                    {
                        error = $"--baud: expected 300..38400 (M-Bus speeds, EN 13757-2 §4); found {baud}.";
                        return null;
                    }
                    return MbusMaster.OverSerial(serial, options, baud);
                }
                int colon = tcp!.LastIndexOf(':');
                if (colon <= 0 || !int.TryParse(tcp[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
                {
                    error = $"--tcp: expected HOST:PORT such as 192.0.2.10:10001; found '{tcp}'.";
                    return null;
                }
                return MbusMaster.OverTcp(tcp[..colon], port, options);
            }
            catch (ArgumentException e)
            {
                error = e.Message;
                return null;
            }
        }

        private static bool TryDuration(string text, out TimeSpan duration)
        {
            duration = default;
            var (number, scale) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 1.0)
                : text.EndsWith('s') ? (text[..^1], 1000.0)
                : (text, 1000.0);
            if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value) || value <= 0)
                return false;
            duration = TimeSpan.FromMilliseconds(value * scale);
            return true;
        }
    }

    private static Command BuildRead(IAnsiConsole console, Option<bool> json)
    {
        var link = LinkOptions.Create();
        var address = new Option<int?>("--address") { Description = "Primary address 0..250, or 254 for the only meter on the bus" };
        var secondary = new Option<string?>("--secondary") { Description = "Secondary address, eight digits (selects the meter first)", HelpName = "ID" };
        var reset = new Option<bool>("--reset") { Description = "Send SND_NKE first" };
        var read = new Command("read", "Read a meter with REQ_UD2 (all telegrams while more records follow) and print every record") { address, secondary, reset };
        foreach (var option in link.All)
            read.Options.Add(option);
        read.SetAction(async (parse, ct) =>
        {
            int? primary = parse.GetValue(address);
            string? id = parse.GetValue(secondary);
            if ((primary is null) == (id is null) || primary is < 0 or > 254 or 251 or 252 or 253)
            {
                console.MarkupLineInterpolated($"[red]error:[/] expected --address 0..250 (or 254) or --secondary ID, one of them; found {(primary is null ? "no address" : $"--address {primary}")}{(id is null ? "" : $" and --secondary {id}")}.");
                return MbusExitCodes.Usage;
            }
            MbusSecondaryAddress target = default;
            if (id is not null)
            {
                try
                {
                    target = MbusSecondaryAddress.Parse(id);
                }
                catch (FormatException e)
                {
                    console.MarkupLineInterpolated($"[red]error:[/] --secondary: {e.Message}");
                    return MbusExitCodes.Usage;
                }
            }
            if (link.Open(parse, out string? error) is not { } master)
            {
                console.MarkupLineInterpolated($"[red]error:[/] {error}");
                return MbusExitCodes.Usage;
            }
            await using (master)
            {
                if (parse.GetValue(reset) && primary is { } p)
                    await master.SendNkeAsync((byte)p, ct);
                var result = primary is { } a ? await master.ReadAsync((byte)a, ct) : await master.ReadAsync(target, ct);
                if (parse.GetValue(json))
                    WriteReadJson(console, result);
                else
                {
                    foreach (var telegram in result.Telegrams)
                        WriteTelegram(console, telegram);
                    if (result.Outcome != MbusOutcome.Ok)
                        console.MarkupLineInterpolated($"[red]error:[/] {master.Endpoint}: {result.Outcome}: {result.Error}");
                }
                return ExitCode(result.Outcome, result.Error);
            }
        });
        return read;
    }

    private static Command BuildScan(IAnsiConsole console, Option<bool> json)
    {
        var link = LinkOptions.Create();
        var from = new Option<int>("--from") { Description = "First primary address (default 0)", DefaultValueFactory = _ => 0 };
        var to = new Option<int>("--to") { Description = "Last primary address (default 250)", DefaultValueFactory = _ => 250 };
        var secondary = new Option<string?>("--secondary") { Description = "Search by secondary address instead, from a pattern (default FFFFFFFF)", HelpName = "PATTERN", Arity = ArgumentArity.ZeroOrOne };
        var scan = new Command("scan", "Find the meters on a bus: SND_NKE to each primary address, or a wildcard search by secondary address") { from, to, secondary };
        foreach (var option in link.All)
            scan.Options.Add(option);
        scan.SetAction(async (parse, ct) =>
        {
            int first = parse.GetValue(from);
            int last = parse.GetValue(to);
            if (first is < 0 or > 250 || last is < 0 or > 250 || first > last)
            {
                console.MarkupLineInterpolated($"[red]error:[/] expected 0 <= --from <= --to <= 250; found --from {first} --to {last}.");
                return MbusExitCodes.Usage;
            }
            if (link.Open(parse, out string? error) is not { } master)
            {
                console.MarkupLineInterpolated($"[red]error:[/] {error}");
                return MbusExitCodes.Usage;
            }
            await using (master)
            {
                var found = new List<string>();
                if (parse.GetResult(secondary) is not null)
                {
                    MbusSecondaryAddress pattern;
                    try
                    {
                        pattern = MbusSecondaryAddress.Parse(parse.GetValue(secondary) ?? "FFFFFFFF");
                    }
                    catch (FormatException e)
                    {
                        console.MarkupLineInterpolated($"[red]error:[/] --secondary: {e.Message}");
                        return MbusExitCodes.Usage;
                    }
                    foreach (var header in await master.ScanSecondaryAsync(pattern, ct))
                        found.Add($"{header.Identification:D8} {header.Manufacturer} version {header.Version} medium {header.Medium:X2}");
                }
                else
                {
                    for (int a = first; a <= last; a++)
                    {
                        if (await master.SendNkeAsync((byte)a, ct) == MbusOutcome.Ok)
                            found.Add(a.ToString(CultureInfo.InvariantCulture));
                    }
                }
                if (parse.GetValue(json))
                {
                    console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(found, MbusCliJson.Default.ListString));
                }
                else
                {
                    foreach (var meter in found)
                        console.MarkupLineInterpolated($"found {meter}");
                    console.MarkupLineInterpolated($"{found.Count} meter(s) on {master.Endpoint}");
                }
                return found.Count > 0 ? 0 : MbusExitCodes.Timeout;
            }
        });
        return scan;
    }

    private static int ExitCode(MbusOutcome outcome, string? error) => outcome switch
    {
        MbusOutcome.Ok => error is null ? 0 : MbusExitCodes.Malformed,
        MbusOutcome.Timeout => MbusExitCodes.Timeout,
        _ => MbusExitCodes.Malformed,
    };

    private static void WriteTelegram(IAnsiConsole console, MbusTelegram telegram)
    {
        if (telegram.Header is { } h)
            console.MarkupLineInterpolated($"id {h.Identification}, manufacturer {h.Manufacturer}, version {h.Version}, medium {h.Medium:X2}, access {h.AccessNumber}, status {h.Status:X2}");
        WriteRecords(console, telegram);
    }

    private static void WriteReadJson(IAnsiConsole console, MbusReadResult result)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("outcome", result.Outcome.ToString());
            writer.WriteStartArray("telegrams");
            foreach (var telegram in result.Telegrams)
            {
                writer.WriteStartObject();
                WriteTelegramJson(writer, telegram, telegram.Error);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            if (result.Error is null)
                writer.WriteNull("error");
            else
                writer.WriteString("error", result.Error);
            writer.WriteEndObject();
        }

        console.Profile.Out.Writer.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static bool TryReadHex(string path, out byte[] bytes, out string? problem)
    {
        bytes = [];
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problem = $"--file: cannot read {path}: {ex.Message}";
            return false;
        }

        var tokens = text.Split((char[])[' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries);
        bytes = new byte[tokens.Length];
        for (int i = 0; i < tokens.Length; i++)
        {
            if (tokens[i].Length != 2 || !byte.TryParse(tokens[i], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out bytes[i]))
            {
                problem = $"--file {path}: expected hex bytes such as 68 1F, found '{tokens[i]}' as byte {i}";
                return false;
            }
        }
        problem = tokens.Length == 0 ? $"--file {path}: expected hex bytes such as 68 1F, found none" : null;
        return tokens.Length > 0;
    }

    private static void WriteTable(IAnsiConsole console, string path, MbusFrame frame, MbusTelegram? telegram)
    {
        console.MarkupLineInterpolated($"{path}: {frame.Type} frame, C {frame.Control:X2}, A {frame.Address}, CI {frame.ControlInformation:X2}");
        if (telegram?.Header is { } h)
            console.MarkupLineInterpolated($"id {h.Identification}, manufacturer {h.Manufacturer}, version {h.Version}, medium {h.Medium:X2}, access {h.AccessNumber}, status {h.Status:X2}");
        if (telegram is not null)
            WriteRecords(console, telegram);
    }

    private static void WriteRecords(IAnsiConsole console, MbusTelegram telegram)
    {
        var table = new Table().AddColumns("#", "function", "storage", "tariff", "subunit", "quantity", "value", "unit");
        for (int i = 0; i < telegram.Records.Count; i++)
        {
            var r = telegram.Records[i];
            table.AddRow(
                i.ToString(CultureInfo.InvariantCulture), r.Function.ToString(), r.StorageNumber.ToString(CultureInfo.InvariantCulture),
                r.Tariff.ToString(CultureInfo.InvariantCulture), r.Subunit.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(r.Quantity), Markup.Escape(ValueText(r)), Markup.Escape(r.Unit));
        }
        console.Write(table);
        if (telegram.MoreRecordsFollow)
            console.MarkupLine("more records follow in the next telegram");
        if (telegram.Error is { } error)
            console.MarkupLineInterpolated($"[red]error:[/] {error}");
    }

    private static string ValueText(MbusDataRecord r) => r.Kind switch
    {
        MbusValueKind.Numeric => r.Value.ToString("R", CultureInfo.InvariantCulture),
        MbusValueKind.Bytes => Convert.ToHexString(r.Raw.Span),
        _ => r.Text ?? "",
    };

    private static void WriteJson(IAnsiConsole console, MbusFrame? frame, MbusTelegram? telegram, string? error)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            if (frame is { } f)
            {
                writer.WriteString("frameType", f.Type.ToString());
                writer.WriteNumber("control", f.Control);
                writer.WriteNumber("address", f.Address);
                writer.WriteNumber("ci", f.ControlInformation);
            }
            WriteTelegramJson(writer, telegram, error);
            writer.WriteEndObject();
        }

        console.Profile.Out.Writer.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static void WriteTelegramJson(Utf8JsonWriter writer, MbusTelegram? telegram, string? error)
    {
        if (telegram?.Header is { } h)
        {
            writer.WriteStartObject("header");
            writer.WriteNumber("id", h.Identification);
            writer.WriteString("manufacturer", h.Manufacturer);
            writer.WriteNumber("version", h.Version);
            writer.WriteNumber("medium", h.Medium);
            writer.WriteNumber("accessNumber", h.AccessNumber);
            writer.WriteNumber("status", h.Status);
            writer.WriteEndObject();
        }
        writer.WriteStartArray("records");
        foreach (var r in telegram?.Records ?? [])
            WriteRecord(writer, r);
        writer.WriteEndArray();
        writer.WriteBoolean("moreRecordsFollow", telegram?.MoreRecordsFollow ?? false);
        if (error is null)
            writer.WriteNull("error");
        else
            writer.WriteString("error", error);
    }

    private static void WriteRecord(Utf8JsonWriter writer, MbusDataRecord r)
    {
        writer.WriteStartObject();
        writer.WriteNumber("offset", r.Offset);
        writer.WriteString("function", r.Function.ToString());
        writer.WriteNumber("storageNumber", r.StorageNumber);
        writer.WriteNumber("tariff", r.Tariff);
        writer.WriteNumber("subunit", r.Subunit);
        writer.WriteString("quantity", r.Quantity);
        writer.WriteString("unit", r.Unit);
        writer.WriteString("kind", r.Kind.ToString());
        if (r.Kind == MbusValueKind.Numeric && double.IsFinite(r.Value))
            writer.WriteNumber("value", r.Value);
        else if (r.Text is not null)
            writer.WriteString("value", r.Text);
        else
            writer.WriteNull("value");
        writer.WriteString("raw", Convert.ToHexString(r.Raw.Span));
        writer.WriteStartArray("qualifiers");
        foreach (var q in r.Qualifiers)
            writer.WriteStringValue(q);
        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
