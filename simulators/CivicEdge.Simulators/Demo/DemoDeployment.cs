using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Simulators.Processes;

namespace CivicEdge.Simulators.Demo;

/// <summary>
/// The whole product on one machine: a fleet with its embedded broker, a simulated energy meter on Modbus TCP and a
/// gateway that polls the meter and delivers to the fleet — three real processes, started in dependency order and
/// stopped in reverse.
/// </summary>
public sealed class DemoDeployment(DemoOptions options, TextWriter console) : IAsyncDisposable
{
    private readonly List<ChildProcess> _started = [];

    /// <summary>Starts every process and waits until the meter's first readings are visible at the fleet API.</summary>
    public async Task<DeviceTelemetry> StartAsync(CancellationToken cancellationToken)
    {
        RequireFreePort(options.HttpPort, "fleet HTTP API");
        RequireFreePort(options.MqttPort, "fleet MQTT broker");
        RequireFreePort(options.MeterPort, "simulated meter (Modbus TCP)");
        if (Directory.Exists(options.DataDirectory))
            Directory.Delete(options.DataDirectory, recursive: true);
        Directory.CreateDirectory(options.DataDirectory);

        await StartAsync("fleet", "civicedge-fleet", "civicedge-fleet ready",
        [
            "--urls", options.FleetUrl,
            $"--Fleet:Broker:Port={options.MqttPort}",
            $"--Fleet:Storage:Path={Path.Combine(options.DataDirectory, "fleet.db")}",
        ], cancellationToken);

        await StartAsync("meter", "civicsim", "civicsim ready",
        [
            "modbus", "--profile", options.MeterModel, "--bind", options.Host, "--port", options.MeterPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ], cancellationToken);

        await StartAsync("gateway", "civicedge-gateway", "civicedge-gateway ready",
        [
            $"--Gateway:Id={options.GatewayId}",
            $"--Gateway:DataPath={Path.Combine(options.DataDirectory, "gateway.db")}",
            $"--Uplink:Host={options.Host}",
            $"--Uplink:Port={options.MqttPort}",
            $"--Devices:0:Id={options.MeterId}",
            $"--Devices:0:Profile={options.MeterModel}",
            $"--Devices:0:Endpoint=tcp://{options.Host}:{options.MeterPort}",
            "--Devices:0:Unit=1",
            "--Devices:0:PollInterval=00:00:02",
        ], cancellationToken);

        return await WaitForReadingsAsync(cancellationToken);
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

    private async Task<DeviceTelemetry> WaitForReadingsAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = new Uri(options.FleetUrl + "/"), Timeout = TimeSpan.FromSeconds(5) };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.ReadyTimeout);
        var path = $"api/devices/{Uri.EscapeDataString(options.MeterId)}/telemetry";
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
            throw new TimeoutException($"No readings of {options.MeterId} reached the fleet at {options.FleetUrl} within {options.ReadyTimeout.TotalSeconds:0} s.");
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
