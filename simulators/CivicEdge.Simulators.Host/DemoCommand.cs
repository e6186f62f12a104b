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
        var meterPort = PortOption("--meter-port", "Meter room's Modbus TCP port (energy, water and heat meters).", 5020);
        var polePort = PortOption("--pole-port", "Pole RS-485 bus's RTU-over-TCP port (environment transmitters).", 5021);
        var streetPort = PortOption("--street-port", "Street RS-485 bus's RTU-over-TCP port (eight poles running the pole controller firmware).", 5022);
        var gatewayPort = PortOption("--gateway-port", "Gateway's local API port (/status, /metrics).", 5081);
        var meterLinesPort = PortOption("--meter-lines-port", "First of three ports of the meter-protocol room's converters: M-Bus, then CJ/T 188, then DL/T 645.", 5023);

        var command = new Command("demo", "Run the fleet, a gateway and a simulated meter room and street pole on 127.0.0.1 until Ctrl+C.")
        {
            publishDirectory, dataDirectory, httpPort, mqttPort, meterPort, polePort, streetPort, gatewayPort, meterLinesPort,
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
                PoleBusPort = parse.GetValue(polePort),
                StreetBusPort = parse.GetValue(streetPort),
                GatewayHttpPort = parse.GetValue(gatewayPort),
                MeterLinesPort = parse.GetValue(meterLinesPort),
            };
            var console = Console.Out;
            await using var deployment = new DemoDeployment(options, console);
            try
            {
                var first = await deployment.StartAsync(cancellationToken);
                PrintWelcome(console, options, first, deployment.AdminKey);
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

    private static void PrintWelcome(TextWriter console, DemoOptions options, DeviceTelemetry first, string adminKey)
    {
        var civic = Path.Combine(options.PublishDirectory, "civic", "civic");
        var poleBus = $"--rtu-over-tcp {options.Host}:{options.PoleBusPort}";
        var streetBus = $"--rtu-over-tcp {options.Host}:{options.StreetBusPort}";
        console.WriteLine();
        console.WriteLine($"CivicEdge demo is running: fleet at {options.FleetUrl}, gateway {options.GatewayId} with six buses");
        console.WriteLine($"(meter room on Modbus TCP {options.Host}:{options.MeterPort}, street pole RS-485 through a converter on {options.Host}:{options.PoleBusPort},");
        console.WriteLine($"{DemoStreet.StreetPoles} poles running the pole controller firmware on the street's RS-485 through a converter on {options.Host}:{options.StreetBusPort},");
        console.WriteLine($"M-Bus, CJ/T 188 and DL/T 645 meter lines through converters on {options.Host}:{options.MeterLinesPort}..{options.MeterLinesPort + DemoStreet.MeterLines.Count - 1})");
        console.WriteLine("and its own pins (cabinet door, pulse water meter, relay and dimmer) on a simulated GPIO chip.");
        console.WriteLine();
        console.WriteLine($"First readings of {first.DeviceId} at the fleet:");
        foreach (var value in first.Latest)
            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {value.Point,-22} {value.Value,12:0.###} {value.Unit}"));
        console.WriteLine();
        console.WriteLine($"The fleet's bootstrap admin key ({adminKey[..13]}…) is in {options.AdminKeyPath}; the API and civic need it:");
        console.WriteLine($"  export CIVIC_API_KEY=$(cat {options.AdminKeyPath})");
        console.WriteLine();
        console.WriteLine("Try:");
        console.WriteLine($"  {civic} whoami                               # who the fleet takes you for, and what you may do");
        console.WriteLine($"  {civic} devices list                         # the ledger: every device, its owner, state and gateway");
        console.WriteLine($"  {civic} devices show {DemoStreet.EnergyMeter}             # one device: location, lifecycle, credentials");
        console.WriteLine($"  {civic} telemetry {DemoStreet.Climate}");
        foreach (var (id, protocol, _, profile) in DemoStreet.MeterLines)
            console.WriteLine($"  {civic} telemetry {id,-24}   # the {protocol} line's meter ({profile})");
        console.WriteLine($"  {civic} telemetry {DemoStreet.EnergyMeter} --interval 1m --aggregate avg,max   # aggregates per minute");
        console.WriteLine($"  curl -H \"Authorization: Bearer $CIVIC_API_KEY\" '{options.FleetUrl}/api/devices/{DemoStreet.EnergyMeter}/telemetry/export?format=csv'");
        console.WriteLine($"  {civic} broker status                        # connections refused by reason, sessions open");
        console.WriteLine($"  {civic} health                               # online/late/offline and a verdict per device, by tenant, district, kind");
        console.WriteLine($"  {civic} health assessment                    # the plans' figures: working smart lighting, meters reporting");
        console.WriteLine($"  {civic} command {DemoStreet.Lamp} dim --arg level=40 --wait 10s   # through the fleet, the gateway and the street's bus to the firmware");
        console.WriteLine($"  {civic} gateway status --gateway {options.GatewayUrl}   # each field device's verdict, as an installer sees it");
        console.WriteLine($"  curl {options.GatewayUrl}/metrics             # the gateway in Prometheus format");
        console.WriteLine($"  {civic} alarms                               # the cabinet door (one minute in three); rule.lamp_failure of lamp-demo-01 from 2 to 4 minutes in (an edge rule); lamp-demo-04's driver too hot from 3 to 6");
        console.WriteLine($"  {civic} twin get {options.GatewayId}                   # the configuration the gateway reports it runs");
        console.WriteLine($"  $EDITOR {options.GatewayConfigPath}   # remove or add a device: applied without a restart");
        console.WriteLine($"  curl -H \"Authorization: Bearer $CIVIC_API_KEY\" {options.FleetUrl}/api/devices/{DemoStreet.EnergyMeter}/telemetry");
        console.WriteLine($"  {civic} keys create \"water dispatch\" --role operator --tenant water --days 90   # a named key; then revoke the bootstrap one");
        console.WriteLine($"  {civic} audit                                # twin changes, key operations, refused requests");
        console.WriteLine($"  {options.FleetUrl}/docs                 # the API reference, in a browser");
        console.WriteLine($"  curl -H \"Authorization: Bearer $CIVIC_API_KEY\" '{options.FleetUrl}/api/events?limit=20'   # alarms raised and cleared at the edge");
        console.WriteLine($"  {civic} modbus scan {poleBus} --to 10      # who answers on the pole's bus");
        console.WriteLine($"  {civic} modbus scan {streetBus} --to 10    # the street's firmware poles");
        console.WriteLine($"  {civic} modbus read {poleBus} --unit 2 --holding 0 2 --scale 0.1   # temperature and humidity, as an installer reads them");
        console.WriteLine($"  {civic} modbus read --tcp {options.Host}:{options.MeterPort} --input 0 3 --type float32   # the energy meter's voltages");
        console.WriteLine($"  mosquitto_sub -V mqttv5 -p {options.MqttPort} -t 'civic/v1/#' -v");
        console.WriteLine();
        console.WriteLine($"An OTA campaign is under way: {DemoRollout.ArtifactId} (signed with {DemoRollout.PrivateKeyPath(options)}) to the street's poles,");
        console.WriteLine($"a canary, then half the street, then all of it; {DemoStreet.Street[DemoRollout.RejectingPole - 1].Id} fails the new image's boot check and rolls back, so the campaign halts:");
        console.WriteLine($"  {civic} ota campaign status {DemoRollout.CampaignId} --watch   # waves, each pole's bytes while the gateway feeds it, why it halted");
        console.WriteLine($"  {civic} ota list                             # the signed artifact the fleet holds");
        console.WriteLine($"  {civic} devices show {DemoStreet.Lamp}            # the ledger's firmware version once the pole confirmed");
        console.WriteLine($"  {civic} ota campaign retry {DemoRollout.CampaignId}   # offer it again to the pole that failed (it fails again)");
        console.WriteLine($"  {civic} ota campaign cancel {DemoRollout.CampaignId} --reason \"pole 6 needs a site visit\"");
        console.WriteLine();
        console.WriteLine("Press Ctrl+C to stop every process the demo started.");
    }
}
