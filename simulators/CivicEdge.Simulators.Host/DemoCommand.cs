using System.CommandLine;
using System.Globalization;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Simulators.Demo;

namespace CivicEdge.Simulators.Host;

/// <summary>
/// <c>civicsim demo</c>: the whole product on 127.0.0.1 — fleet, simulated meter and gateway as real processes — until
/// Ctrl+C or SIGTERM, then every process it started is stopped.
/// </summary>
internal static class DemoCommand
{
    private const int StartFailed = 1;

    public static Command Create()
    {
        var publishDirectory = new Option<DirectoryInfo>("--publish-dir")
        {
            Description = "Folder of the published executables (<name>/<name>), as ./build.sh --target=Publish leaves them in artifacts/publish.",
            HelpName = "directory",
            Required = true,
        };
        var dataDirectory = new Option<DirectoryInfo>("--data-dir")
        {
            Description = "Folder for the fleet's and the gateway's LiteDB files; emptied at start.",
            HelpName = "directory",
            DefaultValueFactory = _ => new DirectoryInfo("civicedge-demo"),
        };
        var httpPort = PortOption("--http-port", "Fleet REST API port.", 5080);
        var mqttPort = PortOption("--mqtt-port", "Fleet embedded MQTT broker port.", 1883);
        var meterPort = PortOption("--meter-port", "Simulated meter's Modbus TCP port.", 5020);

        var command = new Command("demo", "Run the fleet, a gateway and a simulated energy meter on 127.0.0.1 until Ctrl+C.")
        {
            publishDirectory, dataDirectory, httpPort, mqttPort, meterPort,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new DemoOptions
            {
                PublishDirectory = parse.GetValue(publishDirectory)!.FullName,
                DataDirectory = parse.GetValue(dataDirectory)!.FullName,
                HttpPort = parse.GetValue(httpPort),
                MqttPort = parse.GetValue(mqttPort),
                MeterPort = parse.GetValue(meterPort),
            };
            var console = Console.Out;
            await using var deployment = new DemoDeployment(options, console);
            try
            {
                var first = await deployment.StartAsync(cancellationToken);
                PrintWelcome(console, options, first);
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                console.WriteLine("Stopping the demo…");
            }
            catch (Exception ex) when (ex is TimeoutException or InvalidOperationException or FileNotFoundException)
            {
                await Console.Error.WriteLineAsync($"civicsim demo: {ex.Message}");
                return StartFailed;
            }
            return 0;
        });
        return command;
    }

    private static Option<int> PortOption(string name, string description, int defaultPort)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultPort };
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<int>();
            if (value is < 1 or > 65535)
                result.AddError($"{name}: expected a port 1..65535; found {value}.");
        });
        return option;
    }

    private static void PrintWelcome(TextWriter console, DemoOptions options, DeviceTelemetry first)
    {
        var civic = Path.Combine(options.PublishDirectory, "civic", "civic");
        console.WriteLine();
        console.WriteLine($"CivicEdge demo is running. First readings of {first.DeviceId} at the fleet:");
        foreach (var value in first.Latest)
            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {value.Point,-22} {value.Value,12:0.###} {value.Unit}"));
        console.WriteLine();
        console.WriteLine("Try:");
        console.WriteLine($"  curl {options.FleetUrl}/api/devices");
        console.WriteLine($"  curl {options.FleetUrl}/api/devices/{options.MeterId}/telemetry");
        console.WriteLine($"  {civic} devices list");
        console.WriteLine($"  {civic} telemetry {options.MeterId}");
        console.WriteLine($"  {civic} modbus read --tcp {options.Host}:{options.MeterPort} --input 0 3 --type float32   # the meter's voltages, as an installer reads them");
        console.WriteLine($"  {civic} modbus scan --tcp {options.Host}:{options.MeterPort} --to 10");
        console.WriteLine($"  {civic} modbus bench --tcp {options.Host}:{options.MeterPort} --input 0 10 --count 2000 --json");
        console.WriteLine($"  mosquitto_sub -V mqttv5 -p {options.MqttPort} -t 'civic/v1/#' -v");
        console.WriteLine();
        console.WriteLine("Press Ctrl+C to stop every process the demo started.");
    }
}
