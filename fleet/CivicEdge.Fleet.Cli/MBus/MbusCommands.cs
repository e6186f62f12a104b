using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CivicEdge.Protocols.MBus;
using Spectre.Console;

namespace CivicEdge.Fleet.Cli.MBus;

/// <summary>
/// <c>civic mbus decode --file PATH</c>: decodes an M-Bus telegram an installer captured (a long frame written as hex
/// bytes, "68 1F 1F 68 08 …") with the gateway's own codec and prints every record, offline.
/// </summary>
public static class MbusCommands
{
    public static Command Build(IAnsiConsole console, Option<bool> json)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(json);
        var mbus = new Command("mbus", "M-Bus meters (EN 13757): decode captured telegrams");
        mbus.Subcommands.Add(BuildDecode(console, json));
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
        if (telegram is null)
            return;
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
            writer.WriteEndObject();
        }

        console.Profile.Out.Writer.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
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
