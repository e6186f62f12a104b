using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Simulators.Processes;

namespace CivicEdge.Simulators.Demo;

/// <summary>
/// The whole product on one machine, as real processes: a fleet with its embedded broker, the simulated devices of
/// <see cref="DemoStreet"/> on three buses, and a gateway that polls them, reads its own simulated pins and delivers to
/// the fleet — started in dependency order and stopped in reverse.
/// </summary>
public sealed class DemoDeployment(DemoOptions options, TextWriter console) : IAsyncDisposable
{
    private readonly List<ChildProcess> _started = [];

    /// <summary>The fleet's bootstrap admin key, read from <see cref="DemoOptions.AdminKeyPath"/> once the fleet is ready.</summary>
    public string AdminKey { get; private set; } = string.Empty;

    /// <summary>Starts every process and waits until the energy meter's first readings are visible at the fleet API.</summary>
    public async Task<DeviceTelemetry> StartAsync(CancellationToken cancellationToken)
    {
        RequireFreePort(options.HttpPort, "fleet HTTP API");
        RequireFreePort(options.MqttPort, "fleet MQTT broker");
        RequireFreePort(options.MeterPort, "meter room (Modbus TCP)");
        RequireFreePort(options.PoleBusPort, "pole RS-485 bus (RTU over TCP)");
        RequireFreePort(options.StreetBusPort, "street RS-485 bus of firmware poles (RTU over TCP)");
        RequireFreePort(options.GatewayHttpPort, "gateway local API");
        for (var i = 0; i < DemoStreet.MeterLines.Count; i++)
            RequireFreePort(options.MeterLinesPort + i, $"{DemoStreet.MeterLines[i].Protocol} meter line (transparent converter)");
        if (Directory.Exists(options.DataDirectory))
            Directory.Delete(options.DataDirectory, recursive: true);
        Directory.CreateDirectory(options.DataDirectory);
        // The release key exists before the fleet, which trusts its public half from start-up.
        await CivicAsync("civic-keygen", DemoRollout.Keygen(options), cancellationToken);

        await StartAsync("fleet", "civicedge-fleet", "civicedge-fleet ready",
        [
            "--urls", options.FleetUrl,
            $"--Fleet:Broker:Port={options.MqttPort}",
            $"--Fleet:Storage:Path={Path.Combine(options.DataDirectory, "fleet.db")}",
            $"--Fleet:Access:BootstrapKeyFile={options.AdminKeyPath}",
            $"--Fleet:Ota:TrustedKeyFiles:0={DemoRollout.PublicKeyPath(options)}",
            "--Fleet:Ota:CampaignStepInterval=00:00:01",
            // The demo's devices have readable codes rather than the province scheme's.
            "--Fleet:Ledger:CodeScheme=topic-level",
        ], cancellationToken);
        AdminKey = (await File.ReadAllLinesAsync(options.AdminKeyPath, cancellationToken))[0].Trim();
        using (var fleet = new HttpClient { BaseAddress = new Uri(options.FleetUrl + "/"), Timeout = TimeSpan.FromSeconds(10) })
        {
            fleet.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminKey);
            await DemoEnrolment.EnrolAsync(fleet, options, cancellationToken);
        }

        await StartAsync("meter-room", "civicsim", "civicsim ready",
            ["modbus", "--tcp", .. Listen(options.MeterPort), .. Devices(DemoStreet.MeterRoom)], cancellationToken);
        await StartAsync("pole-bus", "civicsim", "civicsim ready",
            ["modbus", "--rtu-over-tcp", .. Listen(options.PoleBusPort), .. Devices(DemoStreet.PoleBus)],
            cancellationToken);

        // The street stands where the ledger says (Zhengzhou, UTC+8); its photocells see dark, so the lamps burn and
        // the lamp failure shows whatever the hour of the demo.
        await StartAsync("street-bus", "civicsim", "civicsim ready",
        [
            "firmware", "pole", "--count", DemoStreet.StreetPoles.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--rtu-over-tcp", string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{options.Host}:{options.StreetBusPort}"),
            "--latitude", "34.7468", "--longitude", "113.6251", "--utc-offset", "480", "--photocell", "dark",
            "--script", DemoStreet.StreetScript,
            "--updatable", "--firmware-version", DemoRollout.FactoryVersion,
            "--fails-update", DemoRollout.RejectingPole.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ], cancellationToken);

        // The meter-protocol room: one civicsim per line, each standing for a transparent serial-to-Ethernet converter,
        // so that the demo needs no serial ports (socat) on the machine.
        for (var i = 0; i < DemoStreet.MeterLines.Count; i++)
        {
            var (_, protocol, address, _) = DemoStreet.MeterLines[i];
            await StartAsync($"{protocol}-line", "civicsim", "civicsim ready", [protocol, .. Listen(options.MeterLinesPort + i), "--meter", address], cancellationToken);
        }

        DemoGatewayConfiguration.Write(options);
        await StartAsync("gateway", "civicedge-gateway", "civicedge-gateway ready", ["--config", options.GatewayConfigPath], cancellationToken);

        var first = await WaitForReadingsAsync(DemoStreet.EnergyMeter, cancellationToken);
        await StartRolloutAsync(cancellationToken);
        return first;
    }

    /// <summary>The OTA act (<see cref="DemoRollout"/>): the image signed, uploaded and rolled out with civic, as an operator does.</summary>
    private async Task StartRolloutAsync(CancellationToken cancellationToken)
    {
        await File.WriteAllBytesAsync(DemoRollout.ImagePath(options),
            CivicEdge.Firmware.Host.SimulatedFirmwareImage.Create(DemoRollout.NewVersion, DemoRollout.ImageBytes), cancellationToken);
        string[] fleet = ["--fleet", options.FleetUrl, "--api-key", AdminKey];
        await CivicAsync("civic-sign", DemoRollout.Sign(options), cancellationToken);
        await CivicAsync("civic-upload", [.. DemoRollout.Upload(options), .. fleet], cancellationToken);
        await CivicAsync("civic-campaign", [.. DemoRollout.CreateCampaign(), .. fleet], cancellationToken);
    }

    /// <summary>Runs <c>civic</c> to its end; a failure stops the demo with civic's own words.</summary>
    private async Task CivicAsync(string name, string[] arguments, CancellationToken cancellationToken)
    {
        await using var civic = ChildProcess.Start(name, options.Executable("civic"), arguments, echo: console.WriteLine);
        var exit = await civic.WaitForExitAsync(options.ReadyTimeout, cancellationToken);
        if (exit != 0)
            throw new InvalidOperationException($"civic {string.Join(' ', arguments.Take(3))} failed (exit {exit}): {civic.RecentOutput}");
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _started.Count - 1; i >= 0; i--)
            await _started[i].DisposeAsync();
        _started.Clear();
    }

    private async Task StartAsync(string name, string executable, string readyLine, string[] arguments, CancellationToken cancellationToken)
    {
        var child = ChildProcess.Start(name, options.Executable(executable), arguments, echo: console.WriteLine);
        _started.Add(child);
        await child.WaitForLineAsync(line => line.Contains(readyLine, StringComparison.Ordinal), options.ReadyTimeout, cancellationToken);
    }

    private string[] Listen(int port) => ["--bind", options.Host, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)];

    private static IEnumerable<string> Devices(IEnumerable<(string Id, int Unit, string Profile)> devices) =>
        devices.SelectMany(device => new[] { "--device", $"unit={device.Unit},profile={device.Profile}" });

    private async Task<DeviceTelemetry> WaitForReadingsAsync(string deviceId, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = new Uri(options.FleetUrl + "/"), Timeout = TimeSpan.FromSeconds(5) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminKey);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.ReadyTimeout);
        var path = $"api/devices/{Uri.EscapeDataString(deviceId)}/telemetry";
        try
        {
            while (true)
            {
                using var response = await http.GetAsync(path, deadline.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    var telemetry = await response.Content.ReadFromJsonAsync(ContractsJson.Default.DeviceTelemetry, deadline.Token);
                    if (telemetry is { Latest.Count: > 0 })
                        return telemetry;
                }
                await Task.Delay(TimeSpan.FromMilliseconds(500), deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"No readings of {deviceId} reached the fleet at {options.FleetUrl} within {options.ReadyTimeout.TotalSeconds:0} s.");
        }
    }

    private static void RequireFreePort(int port, string purpose)
    {
        try
        {
            using var probe = new TcpListener(IPAddress.Loopback, port);
            probe.Start();
        }
        catch (SocketException ex)
        {
            throw new InvalidOperationException($"Port {port} for the {purpose} is taken ({ex.SocketErrorCode}); stop whatever uses it or choose another port.", ex);
        }
    }
}
