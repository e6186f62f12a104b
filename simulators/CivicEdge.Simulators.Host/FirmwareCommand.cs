using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CivicEdge.Firmware.Host;
using CivicEdge.Firmware.Pole.Settings;
using CivicEdge.Fleet.Contracts.Ota;
using CivicEdge.Hardware;
using CivicEdge.Modbus;
using CivicEdge.Simulators.Firmware;
using CivicEdge.Transports;
using Microsoft.Extensions.Logging;

namespace CivicEdge.Simulators.Host;

/// <summary>
/// <c>civicsim firmware meter-node|environment|pole</c>: runs N instances of a firmware application's host build on
/// simulated pins and sensors, as Modbus RTU slaves at consecutive units on one bus, served over RTU-over-TCP (as a
/// serial-to-Ethernet converter carries a bus) or on a serial device or pty. A script says what happens to them and
/// when. Once serving it prints <c>civicsim ready modbus=ENDPOINT unit=N,... model=MODEL</c> to stdout; everything else
/// goes to stderr.
/// </summary>
internal static partial class FirmwareCommand
{
    private const int ConfigurationError = 1;

    // An updatable pole's line behind a converter: the baud rate sets only the Modbus silent intervals (t3.5).
    private const int UpdatableBaud = 115200;

    // The simulated image a pole runs from the factory, its staging area (room for a real pole image of a few hundred
    // KiB) and the uptime after which a healthy image confirms its boot.
    private const int FactoryImageBytes = 4096;
    private const int StagingBytes = 512 * 1024;
    private const int HealthyAfterMilliseconds = 1000;

    private enum App
    {
        MeterNode,
        Environment,
        Pole,
    }

    public static Command Create()
    {
        var command = new Command("firmware", "Run firmware applications on simulated hardware as Modbus RTU slaves until Ctrl+C or SIGTERM.");
        command.Subcommands.Add(CreateApp(App.MeterNode, "meter-node",
            "Meter nodes counting a simulated meter's dial. Script actions: flow L/h, reverse L/h, magnet on|off, cable cut|ok."));
        command.Subcommands.Add(CreateApp(App.Environment, "environment",
            "Environment stations reading a weather shutter (unit 1), temperature/humidity (2), PM (3) and noise (4) transmitters. Script actions: silent UNIT, answer UNIT."));
        command.Subcommands.Add(CreateApp(App.Pole, "pole",
            "Pole controllers serving the SLC-1 map, each with a lamp, mains, driver thermistor, door contact and accelerometer. Script actions: lamp-fail, lamp-repair, door open|closed, tilt DEGREES, mains VOLTS, temperature CELSIUS, photocell dark|light."));
        return command;
    }

    private static Command CreateApp(App app, string name, string description)
    {
        var count = new Option<int>("--count") { Description = "How many devices, at consecutive units.", DefaultValueFactory = _ => 1 };
        var firstUnit = new Option<int>("--first-unit") { Description = "Unit of the first device.", DefaultValueFactory = _ => 1 };
        var rtuOverTcp = new Option<IPEndPoint?>("--rtu-over-tcp")
        {
            Description = "Serve the bus as RTU frames on this HOST:PORT (port 0 lets the system choose). The default, on 127.0.0.1:5030.",
            HelpName = "host:port",
            CustomParser = ParseEndpoint,
        };
        var rtu = new Option<string?>("--rtu") { Description = "Serve the bus on this serial device or pty instead, paced at --baud.", HelpName = "path" };
        var baud = new Option<int>("--baud") { Description = "Baud rate of --rtu.", DefaultValueFactory = _ => 9600 };
        var script = new Option<string?>("--script") { Description = $"What happens and when: {DeviceScript.Syntax}.", HelpName = "script" };
        var seed = new Option<int?>("--seed") { Description = "Seed of the simulated sensors' random numbers. Default: random, logged." };
        var pulseWeight = new Option<int>("--pulse-weight") { Description = "Meter nodes: millilitres per pulse.", DefaultValueFactory = _ => 1000 };
        var window = new Option<int>("--window") { Description = "Environment stations: reporting window in seconds.", DefaultValueFactory = _ => 600 };
        var profilesDirectory = new Option<string?>("--profiles-dir")
        {
            HelpName = "directory",
            Description = $"Directory of hardware profiles (the transmitters an environment station reads). Default: ${ProfileDirectory.EnvironmentVariable}, else hardware/profiles.",
        };
        var latitude = new Option<double>("--latitude") { Description = "Poles: latitude of the street, degrees north, for the astronomical schedule.", DefaultValueFactory = _ => 52.52 };
        var longitude = new Option<double>("--longitude") { Description = "Poles: longitude of the street, degrees east.", DefaultValueFactory = _ => 13.40 };
        var utcOffset = new Option<int>("--utc-offset") { Description = "Poles: local time's offset from UTC in minutes, for the dimming steps.", DefaultValueFactory = _ => 60 };
        var photocell = new Option<string?>("--photocell")
        {
            Description = "Poles: fit a photocell that the controllers follow before their schedule, seeing dark or light at start.",
            HelpName = "dark|light",
        };
        photocell.AcceptOnlyFromAmong("dark", "light");
        var updatable = new Option<bool>("--updatable")
        {
            Description = "Poles: run the firmware's own Modbus slave with its update receiver (hardware/ota/modbus-update.md), so that a gateway can update them over the bus with function 21; they boot a simulated image of --firmware-version.",
        };
        var firmwareVersion = new Option<string>("--firmware-version") { Description = "Poles with --updatable: the version of the image they run at start.", DefaultValueFactory = _ => "1.0.0" };
        var failsUpdate = new Option<string?>("--fails-update")
        {
            Description = "Poles with --updatable: units (e.g. 2,5) on which any new image fails its boot health check, so they roll back to the image they run.",
            HelpName = "units",
        };
        var command = new Command(name, description) { count, firstUnit, rtuOverTcp, rtu, baud, script, seed, pulseWeight, window, profilesDirectory };
        if (app == App.Pole)
        {
            command.Options.Add(latitude);
            command.Options.Add(longitude);
            command.Options.Add(utcOffset);
            command.Options.Add(photocell);
            command.Options.Add(updatable);
            command.Options.Add(firmwareVersion);
            command.Options.Add(failsUpdate);
        }

        command.Validators.Add(result =>
        {
            if (result.GetResult(rtu) is not null && result.GetResult(rtuOverTcp) is not null)
                result.AddError("Expected at most one of --rtu and --rtu-over-tcp; found both.");
        });
        command.SetAction((parse, cancellationToken) => RunAsync(
            app,
            new Settings(
                parse.GetValue(count),
                parse.GetValue(firstUnit),
                parse.GetValue(rtuOverTcp) ?? new IPEndPoint(IPAddress.Loopback, 5030),
                parse.GetValue(rtu) is { } path ? new SerialChannelOptions { Path = path, BaudRate = parse.GetValue(baud) } : null,
                parse.GetValue(script) ?? "",
                parse.GetValue(seed),
                parse.GetValue(pulseWeight),
                parse.GetValue(window),
                parse.GetValue(profilesDirectory),
                new PoleLocation(parse.GetValue(latitude), parse.GetValue(longitude), parse.GetValue(utcOffset)),
                parse.GetValue(photocell) is { } sky ? sky == "dark" : null,
                app == App.Pole && parse.GetValue(updatable),
                app == App.Pole ? parse.GetValue(firmwareVersion)! : "1.0.0",
                app == App.Pole ? parse.GetValue(failsUpdate) : null),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(App app, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Count < 1 || settings.FirstUnit < 1 || settings.FirstUnit + settings.Count - 1 > 247)
            return Fail($"--count and --first-unit: expected devices at units within 1..247; found {settings.Count} from unit {settings.FirstUnit}.");
        if (settings.PulseWeight is < 1 or > 10_000_000)
            return Fail($"--pulse-weight: expected 1..10000000 millilitres; found {settings.PulseWeight}.");
        if (settings.Window is < 10 or > 65535)
            return Fail($"--window: expected 10..65535 seconds; found {settings.Window}.");

        if (!TryUnits(settings.FailsUpdate, out var failing) || failing.Any(u => u < settings.FirstUnit || u >= settings.FirstUnit + settings.Count))
            return Fail($"--fails-update: expected units among {settings.FirstUnit}..{settings.FirstUnit + settings.Count - 1} separated by commas, e.g. 2,5; found '{settings.FailsUpdate}'.");
        if (failing.Count > 0 && !settings.Updatable)
            return Fail("--fails-update: expected --updatable with it; a pole without its update receiver takes no update to fail.");
        if (settings.Updatable && (!SemanticVersion.TryParse(settings.FirmwareVersion, out _) || settings.FirmwareVersion.Length > 16))
            return Fail($"--firmware-version: expected a semantic version of at most 16 characters, e.g. 1.0.0; found '{settings.FirmwareVersion}'.");

        var seed = settings.Seed ?? Random.Shared.Next();
        var started = TimeProvider.System.GetUtcNow();
        List<IFirmwareDevice> devices;
        try
        {
            devices = CreateDevices(app, settings, started, seed);
        }
        catch (Exception ex) when (ex is ProfileException or KeyNotFoundException or IOException or ArgumentException)
        {
            return Fail(ex.Message);
        }

        if (!DeviceScript.TryParse(settings.Script, settings.Count, devices[0].Actions, out var script, out var scriptError))
            return Fail($"--script: {scriptError}. Syntax: {DeviceScript.Syntax}.");
        var scratch = CreateDevices(app, settings with { Count = 1 }, started, seed)[0];
        foreach (var step in script.Steps)
        {
            if (scratch.Apply(step.Action, step.Argument) is { } refused)
                return Fail($"--script: step at {step.At}: {refused}.");
        }

        using var loggerFactory = LoggerFactory.Create(logging => logging
            .AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss.fff ";
            })
            .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace));
        var logger = loggerFactory.CreateLogger("civicsim");
        var bus = new FirmwareBus(devices, (byte)settings.FirstUnit, script, started);
        var units = bus.Units();
        if (settings.Updatable)
            return await ServeUpdatableAsync(settings, bus, failing, logger, cancellationToken);

        await using var server = settings.SerialLine is { } line
            ? new ServedBus(new ModbusRtuSlave(line, units, logger: loggerFactory.CreateLogger<ModbusRtuSlave>()))
            : new ServedBus(new ModbusRtuOverTcpServer(settings.Endpoint, units, logger: loggerFactory.CreateLogger<ModbusRtuOverTcpServer>()));
        string endpoint;
        try
        {
            endpoint = await server.StartAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ArgumentException)
        {
            return Fail($"cannot serve on {settings.SerialLine?.Path ?? settings.Endpoint.ToString()}: {ex.Message}");
        }

        var model = devices[0].Model;
        var unitList = string.Join(",", units.Keys.Order());
        LogServing(logger, settings.Count, model, endpoint, unitList, seed, script.Steps.Count);
        Console.Out.WriteLine($"civicsim ready modbus={endpoint} unit={unitList} model={model}");

        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
                bus.Update(TimeProvider.System.GetUtcNow());
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C or SIGTERM: the normal way to stop.
        }

        LogStopped(logger, model);
        return 0;
    }

    /// <summary>
    /// Serves poles that take updates: each runs the firmware's own Modbus slave with the update receiver in front of
    /// its SLC-1 tables, on one multidrop line, and boots the image its staging area's boot loader starts.
    /// </summary>
    private static async Task<int> ServeUpdatableAsync(Settings settings, FirmwareBus bus, IReadOnlySet<int> failing, ILogger logger, CancellationToken cancellationToken)
    {
        CivicEdge.Firmware.Core.Hal.ISerialLink line;
        string endpoint;
        try
        {
            if (settings.SerialLine is { } serial)
            {
                line = new SerialDeviceLink(serial.Path, serial.BaudRate);
                endpoint = serial.Path;
            }
            else
            {
                var listening = TcpSerialLink.Listen(settings.Endpoint, UpdatableBaud);
                line = listening;
                endpoint = new IPEndPoint(settings.Endpoint.Address, listening.LocalPort).ToString();
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or UnauthorizedAccessException or ArgumentException)
        {
            return Fail($"cannot serve on {settings.SerialLine?.Path ?? settings.Endpoint.ToString()}: {ex.Message}");
        }

        var drops = new MultidropLine(line);
        var poles = new List<UpdatableFieldDevice>();
        for (int i = 0; i < bus.Devices.Count; i++)
        {
            int unit = settings.FirstUnit + i;
            var factory = SimulatedFirmwareImage.Create(settings.FirmwareVersion, FactoryImageBytes, seed: unit);
            poles.Add(new UpdatableFieldDevice(drops.Attach(), (byte)unit, ((PoleControllerDevice)bus.Devices[i]).DataModel,
                new MemoryUpdateStorage(StagingBytes, factory), new MemorySettingsStorage(), HealthyAfterMilliseconds, failsNewImages: failing.Contains(unit)));
        }

        drops.Start();
        var unitList = string.Join(",", Enumerable.Range(settings.FirstUnit, settings.Count));
        LogServingUpdatable(logger, settings.Count, endpoint, unitList, settings.FirmwareVersion, string.Join(",", failing.Order()));
        Console.Out.WriteLine($"civicsim ready modbus={endpoint} unit={unitList} model={PoleControllerDevice.ModelKey} firmware={settings.FirmwareVersion}");

        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        var versions = poles.Select(p => p.RunningVersion).ToArray();
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                bus.Update(TimeProvider.System.GetUtcNow());
                for (int i = 0; i < poles.Count; i++)
                {
                    var now = poles[i].RunningVersion;
                    if (now != versions[i])
                        LogBooted(logger, settings.FirstUnit + i, now, versions[i]);
                    versions[i] = now;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C or SIGTERM: the normal way to stop.
        }
        finally
        {
            foreach (var pole in poles)
                pole.Dispose();
            drops.Dispose();
            (line as IDisposable)?.Dispose();
        }

        LogStopped(logger, PoleControllerDevice.ModelKey);
        return 0;
    }

    private static bool TryUnits(string? text, out IReadOnlySet<int> units)
    {
        var found = new HashSet<int>();
        units = found;
        if (string.IsNullOrWhiteSpace(text))
            return true;
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var unit))
                return false;
            found.Add(unit);
        }

        return true;
    }

    private static List<IFirmwareDevice> CreateDevices(App app, Settings settings, DateTimeOffset started, int seed)
    {
        var devices = new List<IFirmwareDevice>();
        if (app == App.MeterNode)
        {
            for (int i = 0; i < settings.Count; i++)
                devices.Add(new MeterNodeDevice(started, settings.PulseWeight, $"SIM{settings.FirstUnit + i:D5}"));
            return devices;
        }

        if (app == App.Pole)
        {
            for (int i = 0; i < settings.Count; i++)
            {
                var pole = new PoleSettings
                {
                    Latitude = settings.Location.Latitude,
                    Longitude = settings.Location.Longitude,
                    UtcOffsetMinutes = settings.Location.UtcOffsetMinutes,
                    UsePhotocell = settings.PhotocellDark is not null,
                    ModbusUnit = settings.FirstUnit + i,
                    SerialNumber = string.Create(CultureInfo.InvariantCulture, $"SLC{settings.FirstUnit + i:D5}"),
                };
                devices.Add(new PoleControllerDevice(started, pole, settings.PhotocellDark));
            }

            return devices;
        }

        var catalog = ProfileLoader.Load(settings.ProfilesDirectory ?? ProfileDirectory.Locate());
        for (int i = 0; i < settings.Count; i++)
            devices.Add(new EnvironmentStationDevice(started, catalog, new Random(seed + i), settings.Window));
        return devices;
    }

    private static IPEndPoint? ParseEndpoint(ArgumentResult result)
    {
        var text = result.Tokens.Single().Value;
        if (IPEndPoint.TryParse(text, out var endpoint) && text.Contains(':', StringComparison.Ordinal))
            return endpoint;
        result.AddError($"--rtu-over-tcp: expected HOST:PORT with an IP address, e.g. 127.0.0.1:5030; found '{text}'.");
        return null;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"civicsim: {message}");
        return ConfigurationError;
    }

    private sealed record Settings(
        int Count, int FirstUnit, IPEndPoint Endpoint, SerialChannelOptions? SerialLine, string Script, int? Seed, int PulseWeight, int Window, string? ProfilesDirectory, PoleLocation Location, bool? PhotocellDark,
        bool Updatable, string FirmwareVersion, string? FailsUpdate);

    private sealed record PoleLocation(double Latitude, double Longitude, int UtcOffsetMinutes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Running {Count} × {Model} firmware on Modbus RTU {Endpoint} units {Units}; seed {Seed}, {Steps} script steps")]
    private static partial void LogServing(ILogger logger, int count, string model, string endpoint, string units, int seed, int steps);

    [LoggerMessage(Level = LogLevel.Information, Message = "Running {Count} updatable pole controllers on Modbus RTU {Endpoint} units {Units}, image {Version}; new images fail their boot health check on units [{Failing}]")]
    private static partial void LogServingUpdatable(ILogger logger, int count, string endpoint, string units, string version, string failing);

    [LoggerMessage(Level = LogLevel.Information, Message = "Unit {Unit} now runs image {Version} (was {Previous})")]
    private static partial void LogBooted(ILogger logger, int unit, string version, string previous);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopped running {Model} firmware")]
    private static partial void LogStopped(ILogger logger, string model);
}
