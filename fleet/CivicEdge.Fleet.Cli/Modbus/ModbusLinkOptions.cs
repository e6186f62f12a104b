using System.CommandLine;
using System.Globalization;
using CivicEdge.Transports;

namespace CivicEdge.Fleet.Cli.Modbus;

/// <summary>
/// The options every <c>civic modbus</c> command shares. They are read as text and checked together when a command
/// runs, so that a bad or missing endpoint gets one message saying what was expected and what was found.
/// </summary>
public sealed class ModbusLinkOptions
{
    public Option<string?> Tcp { get; } = new("--tcp") { Description = "Modbus TCP device or gateway, HOST:PORT", HelpName = "HOST:PORT", Recursive = true };

    public Option<string?> Rtu { get; } = new("--rtu") { Description = "Modbus RTU on a serial port, e.g. /dev/ttyUSB0", HelpName = "PATH", Recursive = true };

    public Option<string?> RtuOverTcp { get; } = new("--rtu-over-tcp") { Description = "RTU frames through a serial-to-Ethernet converter, HOST:PORT", HelpName = "HOST:PORT", Recursive = true };

    public Option<string?> Baud { get; } = new("--baud") { HelpName = "BAUD", Description = "RTU baud rate (default 9600); with --rtu-over-tcp, the line behind the converter", Recursive = true };

    public Option<string?> Parity { get; } = new("--parity") { Description = "RTU parity N, E or O (default E, as the Modbus serial line specification asks)", HelpName = "N|E|O", Recursive = true };

    public Option<string?> StopBits { get; } = new("--stop-bits") { Description = "RTU stop bits 1 or 2 (default 1)", HelpName = "1|2", Recursive = true };

    public Option<string?> DataBits { get; } = new("--data-bits") { Description = "RTU data bits 7 or 8 (default 8)", HelpName = "7|8", Recursive = true };

    public Option<string?> Unit { get; } = new("--unit") { Description = "Unit identifier (slave address), 0..255 on TCP, 0..247 on RTU (default 1)", HelpName = "N", Recursive = true };

    public Option<string?> Timeout { get; } = new("--timeout") { Description = "Response timeout per attempt, e.g. 1s or 200ms (default 1s)", HelpName = "DURATION", Recursive = true };

    public Option<string?> Retries { get; } = new("--retries") { Description = "Further attempts after a timeout or a broken answer (default 1; scan: 0)", HelpName = "N", Recursive = true };

    public IEnumerable<Option> All => [Tcp, Rtu, RtuOverTcp, Baud, Parity, StopBits, DataBits, Unit, Timeout, Retries];

    /// <summary>
    /// Reads the link from the parsed command line. Returns null with a message for the person at the terminal when an
    /// option is missing, malformed or does not fit the others.
    /// </summary>
    public ModbusLink? Read(ParseResult parse, int defaultRetries, out string? error)
    {
        ArgumentNullException.ThrowIfNull(parse);
        error = null;
        var tcp = parse.GetValue(Tcp);
        var rtu = parse.GetValue(Rtu);
        var rtuOverTcp = parse.GetValue(RtuOverTcp);
        (string Name, string? Value)[] endpoints = [("--tcp", tcp), ("--rtu", rtu), ("--rtu-over-tcp", rtuOverTcp)];
        var given = endpoints.Where(e => e.Value is not null).ToList();
        if (given.Count != 1)
        {
            error = given.Count == 0
                ? "no Modbus endpoint: expected one of --tcp HOST:PORT, --rtu PATH (with --baud, --parity) or --rtu-over-tcp HOST:PORT; found none."
                : $"expected exactly one Modbus endpoint; found {string.Join(" and ", given.Select(e => $"{e.Name} {e.Value}"))}.";
            return null;
        }

        var kind = tcp is not null ? ModbusLinkKind.Tcp : rtu is not null ? ModbusLinkKind.Rtu : ModbusLinkKind.RtuOverTcp;
        // Behind a serial-to-Ethernet converter the baud rate still sets the silent interval; the rest is the converter's.
        var lineOptions = kind switch
        {
            ModbusLinkKind.Tcp => new[] { Baud, Parity, StopBits, DataBits },
            ModbusLinkKind.RtuOverTcp => new[] { Parity, StopBits, DataBits },
            _ => [],
        };
        var misplaced = lineOptions.Where(o => parse.GetValue(o) is not null).Select(o => o.Name).ToList();
        if (misplaced.Count > 0)
        {
            error = $"{string.Join(", ", misplaced)} set the serial line of --rtu; found them with {given[0].Name}, which has no serial line here.";
            return null;
        }

        string target = "";
        int port = 0;
        SerialChannelOptions? serial = null;
        if (kind == ModbusLinkKind.Rtu)
        {
            target = rtu!;
            serial = ReadSerialLine(parse, target, ref error);
            if (target.Length == 0)
                error ??= "--rtu: expected the path of a serial device such as /dev/ttyUSB0; found an empty path.";
        }
        else if (!TryParseHostPort(tcp ?? rtuOverTcp!, out target, out port))
        {
            error = $"{given[0].Name}: expected HOST:PORT such as 192.168.1.10:502 or [::1]:502; found '{given[0].Value}'.";
        }
        else if (kind == ModbusLinkKind.RtuOverTcp)
        {
            serial = new SerialChannelOptions { BaudRate = ReadInteger(parse, Baud, 9600, 50, 4_000_000, "a baud rate such as 9600 or 19200", ref error) };
        }

        int maxUnit = kind == ModbusLinkKind.Rtu ? 247 : 255;
        var unit = ReadInteger(parse, Unit, 1, 0, maxUnit, $"a unit identifier 0..{maxUnit}", ref error);
        var retries = ReadInteger(parse, Retries, defaultRetries, 0, 100, "a number of retries 0..100", ref error);
        var timeout = TimeSpan.FromSeconds(1);
        if (parse.GetValue(Timeout) is { } timeoutText && !TryParseDuration(timeoutText, out timeout))
            error ??= $"--timeout: expected a duration such as 1s, 1.5s or 200ms (at most 10 min); found '{timeoutText}'.";

        return error is null ? new ModbusLink(kind, target, port, serial, (byte)unit, timeout, retries) : null;
    }

    /// <summary>Parses <c>1s</c>, <c>1.5s</c>, <c>200ms</c> or <c>2m</c>; a duration must be positive and at most 10 minutes.</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(text);
        duration = default;
        var (number, scale) = text.EndsWith("ms", StringComparison.OrdinalIgnoreCase) ? (text[..^2], 1.0)
            : text.EndsWith('s') ? (text[..^1], 1000.0)
            : text.EndsWith('m') ? (text[..^1], 60_000.0)
            : (null, 0);
        if (number is null || !double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            return false;
        var milliseconds = value * scale;
        if (milliseconds is < 1 or > 600_000)
            return false;
        duration = TimeSpan.FromMilliseconds(milliseconds);
        return true;
    }

    /// <summary>Parses <c>host:port</c> and <c>[v6-address]:port</c>.</summary>
    public static bool TryParseHostPort(string text, out string host, out int port)
    {
        ArgumentNullException.ThrowIfNull(text);
        host = "";
        port = 0;
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
            return false;
        host = text[..colon];
        // An IPv6 address has colons of its own, so it must be bracketed to tell it from the port (RFC 3986 §3.2.2).
        var bracketed = host.StartsWith('[') && host.EndsWith(']');
        if (bracketed)
            host = host[1..^1];
        return host.Length > 0 && (bracketed || !host.Contains(':', StringComparison.Ordinal));
    }

    private SerialChannelOptions ReadSerialLine(ParseResult parse, string path, ref string? error)
    {
        var baud = ReadInteger(parse, Baud, 9600, 50, 4_000_000, "a baud rate such as 9600 or 19200", ref error);
        var dataBits = ReadInteger(parse, DataBits, 8, 7, 8, "7 or 8 data bits", ref error);
        var stopBits = ReadInteger(parse, StopBits, 1, 1, 2, "1 or 2 stop bits", ref error);
        var parityText = parse.GetValue(Parity) ?? "E";
        var parity = parityText.ToUpperInvariant() switch
        {
            "N" or "NONE" => SerialParity.None,
            "E" or "EVEN" => SerialParity.Even,
            "O" or "ODD" => SerialParity.Odd,
            _ => (SerialParity?)null,
        };
        if (parity is null)
            error ??= $"--parity: expected N, E or O; found '{parityText}'.";
        return new SerialChannelOptions { Path = path, BaudRate = baud, DataBits = dataBits, StopBits = stopBits, Parity = parity ?? SerialParity.Even };
    }

    private static int ReadInteger(ParseResult parse, Option<string?> option, int fallback, int min, int max, string expected, ref string? error)
    {
        var text = parse.GetValue(option);
        if (text is null)
            return fallback;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
            return value;
        error ??= $"{option.Name}: expected {expected}; found '{text}'.";
        return fallback;
    }
}
