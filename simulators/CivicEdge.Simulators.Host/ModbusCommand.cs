using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CivicEdge.Hardware;
using CivicEdge.Modbus;
using CivicEdge.Simulators.Devices;
using CivicEdge.Simulators.Lighting;
using CivicEdge.Simulators.Modbus;
using CivicEdge.Transports;
using Microsoft.Extensions.Logging;

namespace CivicEdge.Simulators.Host;

/// <summary>
/// <c>civicsim modbus</c>: serves simulated devices, each described by a hardware profile, over Modbus TCP, over RTU on
/// a serial device or pty, or over RTU-over-TCP until stopped, injecting faults on demand. Once serving it prints one
/// line to stdout, <c>civicsim ready modbus=ENDPOINT unit=N model=MODEL</c> (ENDPOINT is HOST:PORT, or the device path
/// for RTU; several devices list their units and models comma-separated), so that a script or test that asked for
/// port 0 learns the real port; everything else goes to stderr.
/// </summary>
internal static partial class ModbusCommand
{
    private const int ConfigurationError = 1;

    public static Command Create()
    {
        var profile = new Option<string>("--profile")
        {
            Description = "Model key of the hardware profile to simulate, e.g. eastron-sdm630 (one device; or use --device).",
            HelpName = "model",
        };
        var profilesDirectory = new Option<string?>("--profiles-dir")
        {
            HelpName = "directory",
            Description = $"Directory of hardware profiles. Default: ${ProfileDirectory.EnvironmentVariable}, else hardware/profiles found above the program's or the current directory.",
        };
        var port = new Option<int>("--port")
        {
            Description = "TCP port to listen on; 0 lets the system choose (the ready line tells which).",
            DefaultValueFactory = _ => 5020,
        };
        port.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<int>();
            if (value is < IPEndPoint.MinPort or > IPEndPoint.MaxPort)
                result.AddError($"--port: expected 0..65535; found {value}.");
        });
        var bind = new Option<IPAddress>("--bind")
        {
            Description = "IP address to listen on, e.g. 127.0.0.1, 0.0.0.0 or ::1.",
            HelpName = "address",
            DefaultValueFactory = _ => IPAddress.Loopback,
            CustomParser = ParseAddress,
        };
        var unit = new Option<byte>("--unit")
        {
            Description = "Modbus unit identifier the device of --profile answers to (0..255).",
            DefaultValueFactory = _ => 1,
        };
        var device = new Option<DeviceOption[]>("--device")
        {
            Description = $"A device on the bus, {DeviceOption.Expected}; repeat for several units. Replaces --profile and --unit.",
            HelpName = "unit=N,profile=model",
            CustomParser = ParseDevices,
            AllowMultipleArgumentsPerToken = true,
        };
        var tcp = new Option<bool>("--tcp") { Description = "Serve Modbus TCP on --bind and --port (the default)." };
        var rtu = new Option<string?>("--rtu")
        {
            Description = "Serve Modbus RTU on this serial device or pty (e.g. one end of a socat pair), paced at --baud.",
            HelpName = "path",
        };
        var rtuOverTcp = new Option<bool>("--rtu-over-tcp")
        {
            Description = "Serve RTU frames on --bind and --port, as a serial-to-Ethernet converter carries them.",
        };
        var baud = new Option<int>("--baud")
        {
            Description = "Baud rate of --rtu; answers are paced at it.",
            DefaultValueFactory = _ => 9600,
        };
        baud.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<int>();
            if (value is < 50 or > 4_000_000)
                result.AddError($"--baud: expected 50..4000000; found {value}.");
        });
        var parity = new Option<SerialParity>("--parity")
        {
            Description = "Parity of --rtu: N (none), E (even, the Modbus default) or O (odd).",
            HelpName = "N|E|O",
            DefaultValueFactory = _ => SerialParity.Even,
            CustomParser = ParseParity,
        };
        var stopBits = new Option<int>("--stop-bits")
        {
            Description = "Stop bits of --rtu: 1 or 2.",
            DefaultValueFactory = _ => 1,
        };
        stopBits.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<int>();
            if (value is not (1 or 2))
                result.AddError($"--stop-bits: expected 1 or 2; found {value}.");
        });
        var fault = new Option<ModbusFaultRule[]>("--fault")
        {
            Description = $"Injects a fault into answers; repeat for more. {FaultRuleText.Syntax}.",
            HelpName = "kind[=arg][:chance][@unit]",
            CustomParser = ParseFaults,
            AllowMultipleArgumentsPerToken = true,
        };
        var seed = new Option<int?>("--seed")
        {
            Description = "Seed of the simulation's random numbers; the same seed repeats the same run. Default: a random seed, logged.",
        };
        var updateInterval = new Option<TimeSpan?>("--update-interval")
        {
            Description = $"How often the simulated values change: {DurationText.Expected}. Default: 1s.",
            HelpName = "duration",
            CustomParser = ParseInterval,
        };
        var set = new Option<PinnedPoint[]>("--set")
        {
            Description = "Pins a point to a fixed value, e.g. --set voltage_l1=231.5; repeat for more points.",
            HelpName = "point=value",
            CustomParser = ParsePins,
            AllowMultipleArgumentsPerToken = true,
        };

        var lampFailure = new Option<(TimeSpan From, TimeSpan? Until)?>("--lamp-failure")
        {
            Description = "Makes lamp controllers (civicedge-slc1) fail this long after start, and repairs them after the second duration if given: the relay stays on, the lamp draws nothing, the status word says failed. E.g. --lamp-failure 20s..1m.",
            HelpName = "from[..until]",
            CustomParser = ParseLampFailure,
        };
        var command = new Command("modbus", "Serve simulated devices over Modbus TCP, RTU or RTU-over-TCP until Ctrl+C or SIGTERM.")
        {
            profile, profilesDirectory, port, bind, unit, device, tcp, rtu, rtuOverTcp, baud, parity, stopBits, fault, seed, updateInterval, set, lampFailure,
        };
        command.Validators.Add(result =>
        {
            bool hasProfile = result.GetResult(profile) is not null;
            bool hasDevices = result.GetResult(device) is not null;
            if (hasProfile == hasDevices)
                result.AddError("Expected either --profile (one device) or --device (one or more); found " + (hasProfile ? "both." : "neither."));
            int transports = (result.GetValue(tcp) ? 1 : 0) + (result.GetResult(rtu) is not null ? 1 : 0) + (result.GetValue(rtuOverTcp) ? 1 : 0);
            if (transports > 1)
                result.AddError("Expected at most one of --tcp, --rtu and --rtu-over-tcp; found several.");
        });
        command.SetAction((parse, cancellationToken) =>
        {
            var rtuPath = parse.GetValue(rtu);
            var transport = rtuPath is not null ? ModbusTransport.Rtu : parse.GetValue(rtuOverTcp) ? ModbusTransport.RtuOverTcp : ModbusTransport.Tcp;
            var devices = parse.GetValue(device) is { Length: > 0 } listed
                ? listed
                : [new DeviceOption(parse.GetValue(unit), parse.GetRequiredValue(profile))];
            var line = rtuPath is null
                ? null
                : new SerialChannelOptions { Path = rtuPath, BaudRate = parse.GetValue(baud), Parity = parse.GetValue(parity), StopBits = parse.GetValue(stopBits) };
            return RunAsync(
                new ModbusCommandSettings(
                    devices,
                    parse.GetValue(profilesDirectory),
                    transport,
                    new IPEndPoint(parse.GetRequiredValue(bind), parse.GetValue(port)),
                    line,
                    parse.GetValue(fault) ?? [],
                    parse.GetValue(seed),
                    parse.GetValue(updateInterval) ?? TimeSpan.FromSeconds(1),
                    parse.GetValue(set) ?? [],
                    parse.GetValue(lampFailure)),
                cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(ModbusCommandSettings settings, CancellationToken cancellationToken)
    {
        var duplicate = settings.Devices.GroupBy(d => d.Unit).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            return Fail($"--device: expected each unit once; found unit {duplicate.Key} {duplicate.Count()} times.");

        var profiles = new List<DeviceProfile>();
        try
        {
            var directory = settings.ProfilesDirectory ?? ProfileDirectory.Locate();
            var catalog = ProfileLoader.Load(directory);
            profiles.AddRange(settings.Devices.Select(d => catalog.Get(d.Model)));
        }
        catch (Exception ex) when (ex is ProfileException or KeyNotFoundException or IOException)
        {
            return Fail(ex.Message);
        }

        if (profiles.FirstOrDefault(p => p.IsMeter) is { } meter)
            return Fail($"profile {meter.Model} is a {meter.Protocol} meter; expected a modbus profile (serve {meter.Protocol} meters with civicsim {(meter.Protocol == ProfileProtocols.Dlt645V1997 ? ProfileProtocols.Dlt645 : meter.Protocol)}).");

        var unknown = settings.Pins.Where(p => !profiles.Any(profile => profile.Points.Any(point => point.Name == p.Point))).Select(p => p.Point).ToList();
        if (unknown.Count > 0)
        {
            return Fail($"--set: profile {string.Join(", ", profiles.Select(p => p.Model).Distinct())} has no point {string.Join(", ", unknown.Select(u => $"'{u}'"))}; " +
                $"its points are {string.Join(", ", profiles.SelectMany(p => p.Points).Select(p => p.Name).Distinct())}.");
        }

        using var loggerFactory = LoggerFactory.Create(logging => logging
            .AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss.fff ";
            })
            .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace));
        var logger = loggerFactory.CreateLogger("civicsim");

        var seed = settings.Seed ?? Random.Shared.Next();
        var started = TimeProvider.System.GetUtcNow();
        var devices = new List<SimulatedModbusDevice>();
        for (int i = 0; i < profiles.Count; i++)
        {
            var profile = profiles[i];
            var model = DeviceModels.Create(profile, TimeProvider.System, new Random(seed + i));
            foreach (var pin in settings.Pins.Where(p => profile.Points.Any(point => point.Name == p.Point)))
            {
                model.Pin(pin.Point, pin.Value);
                LogPinned(logger, pin.Point, pin.Value);
            }

            if (settings.LampFailure is { } failure && model is LampControllerModel lamp)
            {
                lamp.FailBetween(started + failure.From, started + failure.Until);
                LogLampFailure(logger, profile.Model, failure.From, failure.Until?.ToString() ?? "never");
            }

            var device = new SimulatedModbusDevice(profile, model, loggerFactory.CreateLogger<SimulatedModbusDevice>());
            Identify(device.Bank.Identification, profile);
            devices.Add(device);
        }

        var units = settings.Devices.Select((d, i) => (d.Unit, devices[i].Bank)).ToDictionary(d => d.Unit, d => d.Bank);
        var faults = new FaultPlan(new Random(seed), settings.Faults);
        if (settings.Faults.Count > 0)
            LogFaults(logger, faults.ToString());

        await using var server = Serve(settings, units, faults, loggerFactory);
        string endpoint;
        try
        {
            endpoint = await server.StartAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ArgumentException)
        {
            return Fail($"cannot serve on {Describe(settings)}: {ex.Message}");
        }

        var unitList = string.Join(",", settings.Devices.Select(d => d.Unit));
        var modelList = string.Join(",", profiles.Select(p => p.Model));
        LogServing(logger, modelList, settings.Transport.ToString(), endpoint, unitList, seed, DescribeInterval(settings.UpdateInterval));
        Console.Out.WriteLine($"civicsim ready modbus={endpoint} unit={unitList} model={modelList}");
        await Task.WhenAll(devices.Select(d => d.RunAsync(settings.UpdateInterval, TimeProvider.System, cancellationToken)));
        LogStopped(logger, modelList);
        return 0;
    }

    private static ServedBus Serve(ModbusCommandSettings settings, Dictionary<byte, RegisterBank> units, FaultPlan faults, ILoggerFactory loggerFactory) =>
        settings.Transport switch
        {
            ModbusTransport.Rtu => new ServedBus(new ModbusRtuSlave(settings.SerialLine!, units, faults, logger: loggerFactory.CreateLogger<ModbusRtuSlave>())),
            ModbusTransport.RtuOverTcp => new ServedBus(new ModbusRtuOverTcpServer(settings.Endpoint, units, faults, logger: loggerFactory.CreateLogger<ModbusRtuOverTcpServer>())),
            _ => new ServedBus(new ModbusTcpServer(settings.Endpoint, id => units.GetValueOrDefault(id), faults, logger: loggerFactory.CreateLogger<ModbusTcpServer>())),
        };

    private static string Describe(ModbusCommandSettings settings) =>
        settings.Transport == ModbusTransport.Rtu ? settings.SerialLine!.ToString() : settings.Endpoint.ToString();

    /// <summary>What read device identification (function code 43/14) tells a master about a simulated device.</summary>
    private static void Identify(DeviceIdentification identification, DeviceProfile profile)
    {
        identification.VendorName = Printable(profile.Manufacturer);
        identification.ProductCode = Printable(profile.Model);
        identification.MajorMinorRevision = $"V{typeof(ModbusCommand).Assembly.GetName().Version?.ToString(2) ?? "1.0"}";
        identification.ProductName = profile.Description is { } description ? Printable(description) : null;
        identification.ModelName = Printable(profile.Model);
        identification.UserApplicationName = "civicsim";
    }

    private static string Printable(string text)
    {
        var ascii = new string([.. text.Select(c => c is >= ' ' and <= '~' ? c : '?')]);
        return ascii.Length > DeviceIdentification.MaxValueLength ? ascii[..DeviceIdentification.MaxValueLength] : ascii;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"civicsim: {message}");
        return ConfigurationError;
    }

    private static IPAddress? ParseAddress(ArgumentResult result)
    {
        var text = result.Tokens.Single().Value;
        if (IPAddress.TryParse(text, out var address))
            return address;
        result.AddError($"--bind: expected an IP address such as 127.0.0.1, 0.0.0.0 or ::1; found '{text}'.");
        return null;
    }

    private static TimeSpan? ParseInterval(ArgumentResult result)
    {
        var text = result.Tokens.Single().Value;
        if (DurationText.TryParse(text, out var interval) && interval > TimeSpan.Zero)
            return interval;
        result.AddError($"--update-interval: expected a positive duration, {DurationText.Expected}; found '{text}'.");
        return null;
    }

    private static (TimeSpan From, TimeSpan? Until)? ParseLampFailure(ArgumentResult result)
    {
        var text = result.Tokens.Single().Value;
        var parts = text.Split("..", 2);
        if (DurationText.TryParse(parts[0], out var from) && from >= TimeSpan.Zero)
        {
            if (parts.Length == 1)
                return (from, null);
            if (DurationText.TryParse(parts[1], out var until) && until > from)
                return (from, until);
        }

        result.AddError($"--lamp-failure: expected from[..until], two durations after start with until later ({DurationText.Expected}), e.g. 20s..1m; found '{text}'.");
        return null;
    }

    private static PinnedPoint[] ParsePins(ArgumentResult result)
    {
        var pins = new List<PinnedPoint>();
        foreach (var token in result.Tokens)
        {
            if (PinnedPoint.TryParse(token.Value, out var pin))
                pins.Add(pin);
            else
                result.AddError($"--set: expected {PinnedPoint.Expected}; found '{token.Value}'.");
        }
        return [.. pins];
    }

    private static DeviceOption[] ParseDevices(ArgumentResult result)
    {
        var devices = new List<DeviceOption>();
        foreach (var token in result.Tokens)
        {
            if (DeviceOption.TryParse(token.Value, out var device))
                devices.Add(device);
            else
                result.AddError($"--device: expected {DeviceOption.Expected}; found '{token.Value}'.");
        }
        return [.. devices];
    }

    private static ModbusFaultRule[] ParseFaults(ArgumentResult result)
    {
        var rules = new List<ModbusFaultRule>();
        foreach (var token in result.Tokens)
        {
            if (FaultRuleText.TryParse(token.Value, out var rule, out var error))
                rules.Add(rule);
            else
                result.AddError($"--fault: {error}. Syntax: {FaultRuleText.Syntax}.");
        }
        return [.. rules];
    }

    private static SerialParity ParseParity(ArgumentResult result)
    {
        var text = result.Tokens.Single().Value;
        switch (text.ToUpperInvariant())
        {
            case "N" or "NONE":
                return SerialParity.None;
            case "E" or "EVEN":
                return SerialParity.Even;
            case "O" or "ODD":
                return SerialParity.Odd;
            default:
                result.AddError($"--parity: expected N, E or O; found '{text}'.");
                return SerialParity.Even;
        }
    }

    private static string DescribeInterval(TimeSpan interval) =>
        interval.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";

    [LoggerMessage(Level = LogLevel.Information, Message = "Lamp failure scripted on {Model}: fails {From} after start, repaired {Until}")]
    private static partial void LogLampFailure(ILogger logger, string model, TimeSpan from, string until);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pinned {Point} = {Value}")]
    private static partial void LogPinned(ILogger logger, string point, double value);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Serving {Model} over Modbus {Transport} {Endpoint} unit {Unit}; seed {Seed}, values change every {Interval}")]
    private static partial void LogServing(ILogger logger, string model, string transport, string endpoint, string unit, int seed, string interval);

    [LoggerMessage(Level = LogLevel.Information, Message = "Injecting faults: {Faults}")]
    private static partial void LogFaults(ILogger logger, string faults);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopped simulating {Model}")]
    private static partial void LogStopped(ILogger logger, string model);
}
