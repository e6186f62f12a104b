using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CivicEdge.Hardware;
using CivicEdge.Modbus;
using CivicEdge.Simulators.Devices;
using CivicEdge.Simulators.Meters;
using Microsoft.Extensions.Logging;

namespace CivicEdge.Simulators.Host;

/// <summary>
/// <c>civicsim modbus</c>: serves a simulated meter, described by a hardware profile, over Modbus TCP until stopped.
/// Once listening it prints one line to stdout, <c>civicsim ready modbus=HOST:PORT unit=N model=MODEL</c>, so that a
/// script or test that asked for port 0 learns the real port; everything else goes to stderr.
/// </summary>
internal static partial class ModbusCommand
{
    private const int ConfigurationError = 1;

    public static Command Create()
    {
        var profile = new Option<string>("--profile")
        {
            Description = "Model key of the hardware profile to simulate, e.g. eastron-sdm630.",
            HelpName = "model",
            Required = true,
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
            Description = "Modbus unit identifier the device answers to (0..255).",
            DefaultValueFactory = _ => 1,
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

        var command = new Command("modbus", "Serve a simulated device over Modbus TCP until Ctrl+C or SIGTERM.")
        {
            profile, profilesDirectory, port, bind, unit, seed, updateInterval, set,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            new ModbusCommandSettings(
                parse.GetRequiredValue(profile),
                parse.GetValue(profilesDirectory),
                new IPEndPoint(parse.GetRequiredValue(bind), parse.GetValue(port)),
                parse.GetValue(unit),
                parse.GetValue(seed),
                parse.GetValue(updateInterval) ?? TimeSpan.FromSeconds(1),
                parse.GetValue(set) ?? []),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ModbusCommandSettings settings, CancellationToken cancellationToken)
    {
        DeviceProfile profile;
        try
        {
            var directory = settings.ProfilesDirectory ?? ProfileDirectory.Locate();
            profile = ProfileLoader.Load(directory).Get(settings.Model);
        }
        catch (Exception ex) when (ex is ProfileException or KeyNotFoundException or IOException)
        {
            return Fail(ex.Message);
        }

        var unknown = settings.Pins.Where(p => !profile.Points.Any(point => point.Name == p.Point)).Select(p => p.Point).ToList();
        if (unknown.Count > 0)
        {
            return Fail($"--set: profile {profile.Model} has no point {string.Join(", ", unknown.Select(u => $"'{u}'"))}; " +
                $"its points are {string.Join(", ", profile.Points.Select(p => p.Name))}.");
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
        var model = new ThreePhaseMeterModel(TimeProvider.System, new Random(seed));
        foreach (var pin in settings.Pins)
        {
            model.Pin(pin.Point, pin.Value);
            LogPinned(logger, pin.Point, pin.Value);
        }
        var device = new SimulatedModbusDevice(profile, model, loggerFactory.CreateLogger<SimulatedModbusDevice>());

        var server = new ModbusTcpServer(settings.Endpoint, id => id == settings.Unit ? device.Bank : null, loggerFactory.CreateLogger<ModbusTcpServer>());
        await using (server)
        {
            try
            {
                await server.StartAsync(cancellationToken);
            }
            catch (SocketException ex)
            {
                return Fail($"cannot listen on {settings.Endpoint}: {ex.Message} ({ex.SocketErrorCode}).");
            }

            LogServing(logger, profile.Model, profile.SourceFile, server.LocalEndPoint, settings.Unit, seed, DescribeInterval(settings.UpdateInterval));
            Console.Out.WriteLine($"civicsim ready modbus={server.LocalEndPoint} unit={settings.Unit} model={profile.Model}");
            await device.RunAsync(settings.UpdateInterval, TimeProvider.System, cancellationToken);
        }
        LogStopped(logger, profile.Model);
        return 0;
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

    private static string DescribeInterval(TimeSpan interval) =>
        interval.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";

    [LoggerMessage(Level = LogLevel.Information, Message = "Pinned {Point} = {Value}")]
    private static partial void LogPinned(ILogger logger, string point, double value);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Serving {Model} (profile {ProfileFile}) on Modbus TCP {Endpoint} unit {Unit}; seed {Seed}, values change every {Interval}")]
    private static partial void LogServing(ILogger logger, string model, string profileFile, IPEndPoint endpoint, byte unit, int seed, string interval);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopped simulating {Model}")]
    private static partial void LogStopped(ILogger logger, string model);
}
