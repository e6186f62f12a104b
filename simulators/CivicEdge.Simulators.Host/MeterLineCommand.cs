using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CivicEdge.Protocols.Meters;
using CivicEdge.Protocols.Meters.CjT188;
using CivicEdge.Protocols.Meters.Dlt645;
using CivicEdge.Simulators.Devices;
using CivicEdge.Simulators.MeterLines;
using CivicEdge.Simulators.Meters;
using CivicEdge.Transports;
using Microsoft.Extensions.Logging;

namespace CivicEdge.Simulators.Host;

/// <summary>
/// <c>civicsim mbus</c>, <c>civicsim cjt188</c> and <c>civicsim dlt645</c>: a line of simulated meters (heat meters on
/// M-Bus, water meters on CJ/T 188, electricity meters on DL/T 645) served on a serial device or pty, or on TCP as a
/// transparent converter, until stopped, injecting faults on demand. Once serving it prints one line to stdout,
/// <c>civicsim ready PROTOCOL=ENDPOINT meters=A,B</c>; everything else goes to stderr.
/// </summary>
internal static partial class MeterLineCommand
{
    private const int ConfigurationError = 1;

    public static Command Create(string protocol)
    {
        var (description, meterHelp, example) = protocol switch
        {
            "mbus" => ("Serve simulated EN 1434 heat meters on an M-Bus line", "A heat meter as PRIMARY[:IDENTIFICATION], e.g. 5:66660205 (identification: 8 digits, default 100000PP)", "5"),
            "cjt188" => ("Serve simulated CJ/T 188 cold water meters", "A water meter's 14-digit address, e.g. 20240000001234", "20240000000001"),
            _ => ("Serve simulated DL/T 645 three-phase electricity meters", "An electricity meter's 12-digit address, with :1997 for a DL/T 645-1997 meter, e.g. 000012345678 or 000012345679:1997", "000000000001"),
        };
        var meter = new Option<string[]>("--meter") { Description = $"{meterHelp}; repeat for more meters on the line. Default: {example}.", AllowMultipleArgumentsPerToken = true };
        var serial = new Option<string?>("--serial") { Description = "Serve on this serial device or pty (e.g. one end of a socat pair), paced at --baud.", HelpName = "path" };
        var port = new Option<int?>("--port") { Description = "Serve on TCP as a transparent serial-to-Ethernet converter; 0 lets the system choose (the ready line tells which)." };
        var bind = new Option<string>("--bind") { Description = "IP address to listen on with --port.", DefaultValueFactory = _ => "127.0.0.1" };
        var baud = new Option<int>("--baud") { Description = "Baud rate of the line; answers are paced at it.", DefaultValueFactory = _ => 2400 };
        baud.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<int>();
            if (value is < 50 or > 4_000_000)
                result.AddError($"--baud: expected 50..4000000; found {value}.");
        });
        var order = new Option<string>("--di-order")
        {
            Description = "CJ/T 188 only: how the meters send DI bytes, high-byte-first (90 1F) or low-byte-first (1F 90).",
            DefaultValueFactory = _ => "high-byte-first",
        };
        var fault = new Option<MeterFaultRule[]>("--fault")
        {
            Description = $"Injects a fault into answers; repeat for more. {MeterFaultText.Syntax}.",
            HelpName = "kind[=arg][:chance][@address]",
            CustomParser = ParseFaults,
            AllowMultipleArgumentsPerToken = true,
        };
        var seed = new Option<int?>("--seed") { Description = "Seed of the simulation's random numbers; the same seed repeats the same run. Default: random, logged." };
        var set = new Option<string[]>("--set") { Description = "Pins a model point of every meter to a value, e.g. --set supply_temperature=70.5; repeat for more.", AllowMultipleArgumentsPerToken = true };

        var command = new Command(protocol, $"{description} until Ctrl+C or SIGTERM.") { meter, serial, port, bind, baud, order, fault, seed, set };
        command.Validators.Add(result =>
        {
            if ((result.GetResult(serial) is null) == (result.GetResult(port) is null))
                result.AddError("Expected either --serial PATH or --port N (a transparent converter); found " + (result.GetResult(serial) is null ? "neither." : "both."));
        });
        command.SetAction((parse, cancellationToken) => RunAsync(
            protocol,
            parse.GetValue(meter) is { Length: > 0 } meters ? meters : [example],
            parse.GetValue(serial),
            parse.GetValue(port),
            parse.GetRequiredValue(bind),
            parse.GetValue(baud),
            parse.GetRequiredValue(order),
            parse.GetValue(fault) ?? [],
            parse.GetValue(seed),
            parse.GetValue(set) ?? [],
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(
        string protocol, string[] meters, string? serial, int? port, string bind, int baud, string order, MeterFaultRule[] faults, int? seedOption, string[] pins,
        CancellationToken cancellationToken)
    {
        var seed = seedOption ?? Random.Shared.Next();
        var models = new List<SteppedDeviceModel>();
        IMeterLineProtocol line;
        try
        {
            line = protocol switch
            {
                "mbus" => new MbusLine([.. meters.Select((m, i) => HeatMeter(m, Model(() => new HeatMeterModel(TimeProvider.System, new Random(seed + i)))))]),
                "cjt188" => new CjT188Line([.. meters.Select((m, i) => new CjT188WaterMeter(
                    MeterAddress.Parse(Digits(m, 14, "--meter"), 7), Model(() => new WaterMeterModel(TimeProvider.System, new Random(seed + i))), Order(order)))]),
                _ => new Dlt645Line([.. meters.Select((m, i) => ElectricityMeter(m, Model(() => new ThreePhaseMeterModel(TimeProvider.System, new Random(seed + i)))))]),
            };
            if (line.Addresses.Distinct().Count() != line.Addresses.Count)
                throw new ArgumentException($"--meter: expected each address once; found {string.Join(", ", line.Addresses)}.");
            foreach (var pin in pins)
            {
                if (!PinnedPoint.TryParse(pin, out var pinned))
                    throw new ArgumentException($"--set: expected {PinnedPoint.Expected}; found '{pin}'.");
                foreach (var model in models)
                {
                    if (!model.TryGetValue(pinned.Point, out _))
                        throw new ArgumentException($"--set: the {protocol} meters' model has no point '{pinned.Point}'.");
                    model.Pin(pinned.Point, pinned.Value);
                }
            }
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine($"civicsim: {ex.Message}");
            return ConfigurationError;
        }

        using var loggerFactory = LoggerFactory.Create(logging => logging
            .AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss.fff ";
            })
            .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace));
        var logger = loggerFactory.CreateLogger("civicsim");
        var plan = new MeterFaultPlan(new Random(seed), faults, TimeProvider.System.GetUtcNow());
        if (faults.Length > 0)
            LogFaults(logger, plan.ToString());

        await using var server = serial is not null
            ? MeterLineServer.OnSerial(line, new SerialChannelOptions { Path = serial, BaudRate = baud, Parity = SerialParity.Even }, plan, new Random(seed), logger: logger)
            : MeterLineServer.OnTcp(line, new IPEndPoint(IPAddress.Parse(bind), port!.Value), baud, plan, new Random(seed), logger: logger);
        string endpoint;
        try
        {
            endpoint = await server.StartAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ArgumentException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"civicsim: cannot serve on {serial ?? $"{bind}:{port}"}: {ex.Message}");
            return ConfigurationError;
        }

        var addresses = string.Join(",", line.Addresses);
        LogServing(logger, protocol, endpoint, addresses, baud, seed);
        Console.Out.WriteLine($"civicsim ready {protocol}={endpoint} meters={addresses}");
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        return 0;

        T Model<T>(Func<T> create)
            where T : SteppedDeviceModel
        {
            var model = create();
            models.Add(model);
            return model;
        }
    }

    private static MbusHeatMeter HeatMeter(string text, HeatMeterModel model)
    {
        var parts = text.Split(':', 2);
        if (!byte.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var primary) || primary > 250)
            throw new ArgumentException($"--meter: expected a primary address 0..250, optionally :IDENTIFICATION; found '{text}'.");
        var identification = parts.Length == 2 ? Digits(parts[1], 8, "--meter") : $"100000{primary % 100:D2}";
        return new MbusHeatMeter(primary, identification, model);
    }

    private static Dlt645Meter ElectricityMeter(string text, ThreePhaseMeterModel model)
    {
        var parts = text.Split(':', 2);
        var version = parts.Length == 1 || parts[1] == "2007" ? Dlt645Version.V2007
            : parts[1] == "1997" ? Dlt645Version.V1997
            : throw new ArgumentException($"--meter: expected ADDRESS, ADDRESS:2007 or ADDRESS:1997; found '{text}'.");
        return new Dlt645Meter(MeterAddress.Parse(Digits(parts[0], 12, "--meter"), 6), version, model);
    }

    private static string Digits(string text, int count, string option) =>
        text.Length == count && text.All(char.IsAsciiDigit) ? text : throw new ArgumentException($"{option}: expected {count} digits; found '{text}'.");

    private static CjT188IdentifierOrder Order(string text) => text.ToLowerInvariant() switch
    {
        "high-byte-first" => CjT188IdentifierOrder.HighByteFirst,
        "low-byte-first" => CjT188IdentifierOrder.LowByteFirst,
        _ => throw new ArgumentException($"--di-order: expected high-byte-first or low-byte-first; found '{text}'."),
    };

    private static MeterFaultRule[] ParseFaults(ArgumentResult result)
    {
        var rules = new List<MeterFaultRule>();
        foreach (var token in result.Tokens)
        {
            if (MeterFaultText.TryParse(token.Value, out var rule, out var error))
                rules.Add(rule);
            else
                result.AddError($"--fault: {error}. Syntax: {MeterFaultText.Syntax}.");
        }
        return [.. rules];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Serving {Protocol} meters on {Endpoint}: {Meters} at {Baud} Bd; seed {Seed}")]
    private static partial void LogServing(ILogger logger, string protocol, string endpoint, string meters, int baud, int seed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Injecting faults: {Faults}")]
    private static partial void LogFaults(ILogger logger, string faults);
}
