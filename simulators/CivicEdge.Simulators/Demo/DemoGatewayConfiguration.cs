using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CivicEdge.Hardware;

namespace CivicEdge.Simulators.Demo;

/// <summary>
/// Writes the demo gateway's configuration file: three Modbus buses (the meter room over Modbus TCP, the pole's and the
/// street's RS-485 buses over RTU over TCP) and three meter lines (M-Bus, CJ/T 188, DL/T 645 behind transparent
/// converters) with their devices, the gateway's own pins on a simulated GPIO chip, and the poles' edge rule (the
/// lamp-failure template; the first street pole's lamp fails two minutes in and is repaired at four, so the fleet shows
/// an edge-rule alarm raised and cleared). The door needs no rule: its GPIO input raises its own alarm. The gateway
/// watches the file, so editing it while the demo runs reconfigures the gateway without a restart.
/// </summary>
public static class DemoGatewayConfiguration
{
    public const string MeterRoomBus = "meter-room";
    public const string PoleBus = "pole-rs485";
    public const string StreetBus = "street-rs485";

    public static void Write(DemoOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var devices = new JsonArray();
        foreach (var (id, unit, profile) in DemoStreet.MeterRoom)
            devices.Add(Device(id, profile, MeterRoomBus, unit, "2s", "high"));
        foreach (var (id, unit, profile) in DemoStreet.PoleBus)
            devices.Add(Device(id, profile, PoleBus, unit, "5s", "normal"));
        foreach (var (id, unit, profile) in DemoStreet.Street)
            devices.Add(Device(id, profile, StreetBus, unit, "5s", "normal"));
        var buses = new JsonArray
        {
            new JsonObject { ["Id"] = MeterRoomBus, ["Kind"] = "tcp", ["Endpoint"] = Endpoint(options, options.MeterPort) },
            new JsonObject { ["Id"] = PoleBus, ["Kind"] = "rtu-over-tcp", ["Endpoint"] = Endpoint(options, options.PoleBusPort) },
            new JsonObject { ["Id"] = StreetBus, ["Kind"] = "rtu-over-tcp", ["Endpoint"] = Endpoint(options, options.StreetBusPort) },
        };
        for (var i = 0; i < DemoStreet.MeterLines.Count; i++)
        {
            var (id, protocol, address, profile) = DemoStreet.MeterLines[i];
            var bus = $"{protocol}-line";
            buses.Add(new JsonObject { ["Id"] = bus, ["Kind"] = protocol, ["Endpoint"] = Endpoint(options, options.MeterLinesPort + i), ["Baud"] = 2400 });
            devices.Add(new JsonObject { ["Id"] = id, ["Profile"] = profile, ["Bus"] = bus, ["Address"] = address, ["PollInterval"] = "10s" });
        }

        var configuration = new JsonObject
        {
            ["Gateway"] = new JsonObject
            {
                ["Id"] = options.GatewayId,
                ["DataPath"] = Path.Combine(options.DataDirectory, "gateway.db"),
                ["Http"] = new JsonObject { ["Url"] = options.GatewayUrl },
            },
            ["Uplink"] = new JsonObject
            {
                ["Host"] = options.Host,
                ["Port"] = options.MqttPort,
                ["Username"] = options.GatewayId,
                ["PasswordFile"] = DemoEnrolment.SecretFile(options),
            },
            ["Health"] = new JsonObject { ["Interval"] = "10s" },
            ["Rules"] = new JsonObject
            {
                ["Enabled"] = true,
                ["Files"] = new JsonArray { RuleTemplate("pole-lamp-failure") },
                ["Latitude"] = 34.75,
                ["Longitude"] = 113.62,
                ["TimeZone"] = "Asia/Shanghai",
            },
            // The fleet's firmware for the street's poles is relayed over their bus, downloaded with the gateway's own
            // credential (the uplink's) and checked against the demo's release key.
            ["SelfUpdate"] = new JsonObject
            {
                ["FleetUrl"] = options.FleetUrl,
                ["TrustedKeyFiles"] = new JsonArray { DemoRollout.PublicKeyPath(options) },
            },
            ["DeviceUpdate"] = new JsonObject
            {
                ["Enabled"] = true,
                ["Profiles"] = new JsonArray { DemoRollout.Model },
                ["Transfer"] = new JsonObject { ["ProgressInterval"] = "00:00:02" },
            },
            ["Buses"] = buses,
            ["Devices"] = devices,
            ["Gpio"] = new JsonObject
            {
                ["Driver"] = "simulated",
                ["Doors"] = new JsonArray
                {
                    new JsonObject { ["Name"] = "cabinet_door", ["DeviceId"] = DemoStreet.Pole, ["Pin"] = 4 },
                },
                ["PulseCounters"] = new JsonArray
                {
                    new JsonObject
                    {
                        ["Name"] = "water_main", ["DeviceId"] = DemoStreet.PulseWaterMeter, ["Pin"] = 17,
                        ["LitresPerPulse"] = 10, ["StartTotal"] = 1234.5, ["ReportInterval"] = "10s",
                    },
                },
                ["Relays"] = new JsonArray
                {
                    new JsonObject { ["Name"] = "arm2_relay", ["DeviceId"] = DemoStreet.Pole, ["Pin"] = 22, ["SafeState"] = "on" },
                },
                ["Dimmers"] = new JsonArray
                {
                    new JsonObject { ["Name"] = "arm2_dimming", ["DeviceId"] = DemoStreet.Pole, ["PwmChip"] = 0, ["PwmChannel"] = 0, ["SafeLevel"] = 100 },
                },
                // A water meter pulsing every 2 s (10 L each, 18 m³/h) and a cabinet door left open one minute in three.
                ["Simulation"] = new JsonArray
                {
                    new JsonObject { ["Pin"] = 17, ["Every"] = "2s", ["Hold"] = "100ms" },
                    new JsonObject { ["Pin"] = 4, ["Every"] = "3m", ["Hold"] = "1m", ["ActiveLow"] = false },
                },
            },
        };

        File.WriteAllText(options.GatewayConfigPath, configuration.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    private static JsonObject Device(string id, string profile, string bus, int unit, string pollInterval, string priority) => new()
    {
        ["Id"] = id,
        ["Profile"] = profile,
        ["Bus"] = bus,
        ["Unit"] = unit,
        ["PollInterval"] = pollInterval,
        ["Priority"] = priority,
    };

    /// <summary>A rule template shipped beside the hardware profiles (<c>hardware/rules</c>).</summary>
    private static string RuleTemplate(string name) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(ProfileDirectory.Locate()).TrimEnd(Path.DirectorySeparatorChar))!, "rules", name + ".yaml");

    private static string Endpoint(DemoOptions options, int port) =>
        string.Create(CultureInfo.InvariantCulture, $"tcp://{options.Host}:{port}");
}
