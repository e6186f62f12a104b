using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using CivicEdge.Fleet.Contracts.Commands;
using CivicEdge.Gateway.Acquisition;
using CivicEdge.Gateway.Commands;
using CivicEdge.Gateway.Configuration;
using CivicEdge.Gateway.Gpio;
using CivicEdge.Gateway.Tests.Support;
using CivicEdge.Hardware;
using CivicEdge.Modbus;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace CivicEdge.Gateway.Tests.Commands;

/// <summary>
/// A gateway's command path against real peers: a lamp controller served by a Modbus TCP slave on a free loopback
/// port, polled by the real acquisition service, and a relay on a simulated GPIO chip.
/// </summary>
internal sealed class CommandRig : IAsyncDisposable
{
    public const string GatewayId = "gw-cmd";
    public const string Lamp = "slc-0001";
    public const string Pole = "pole-0001";

    private const string LampYaml = """
        schema: civicedge.profile/v1
        model: test-slc
        manufacturer: CivicEdge
        protocol: modbus
        pollInterval: 1s
        points:
          - name: lamp_relay
            table: coil
            address: 0
            writable: true
            unit: "1"
          - name: dimming_level
            table: holding
            address: 0
            type: uint16
            unit: "%"
            min: 0
            max: 100
            writable: true
          - name: lamp_voltage
            table: input
            address: 0
            type: uint16
            scale: 0.1
            unit: V
          - name: setpoint_limit
            table: holding
            address: 1
            type: uint16
            unit: "%"
        """;

    private readonly TempDirectory _directory = new();
    private readonly GpioRig _gpio;
    private readonly ModbusTcpServer _server;

    private CommandRig(int maxWritesPerMinute)
    {
        File.WriteAllText(_directory.File("test-slc.yaml"), LampYaml);
        Bank.Write(Protocols.Modbus.RegisterTable.InputRegisters, 0, [2301]);
        _server = new ModbusTcpServer(new IPEndPoint(IPAddress.Loopback, 0), unit => unit == 1 ? Bank : null);
        _gpio = new GpioRig(_directory.File("gateway.db"));
        Outputs = _gpio.Outputs(new GpioOptions
        {
            Driver = "simulated",
            Relays = { new RelayOptions { Name = "cabinet_light", DeviceId = Pole, Pin = 22, SafeState = "off" } },
        });
        Acquisition = new AcquisitionService(
            new ModbusMasterFactory(TimeProvider.System, NullLoggerFactory.Instance),
            new MeterBusFactory(TimeProvider.System, NullLoggerFactory.Instance),
            Channel.CreateUnbounded<DeviceReading>().Writer,
            Channel.CreateUnbounded<DeviceEvent>().Writer,
            new InMemoryAlarmStateStore(),
            TimeProvider.System,
            new NoLifetime(),
            NullLoggerFactory.Instance);
        Options = new CommandOptions { MaxWritesPerMinute = maxWritesPerMinute, Timeout = TimeSpan.FromSeconds(5) };
        Executor = new CommandExecutor(
            Acquisition,
            Microsoft.Extensions.Options.Options.Create(new GatewayOptions { Id = GatewayId }),
            Microsoft.Extensions.Options.Options.Create(Options),
            TimeProvider.System,
            Outputs);
    }

    /// <summary>The lamp controller's registers as its Modbus slave serves them.</summary>
    public RegisterBank Bank { get; } = new();

    public GpioOutputs Outputs { get; }

    public AcquisitionService Acquisition { get; }

    public CommandOptions Options { get; }

    public CommandExecutor Executor { get; }

    /// <summary>The gateway's database, where the command journal lives.</summary>
    public CivicEdge.Gateway.Storage.GatewayDatabase Database => _gpio.Database;

    public CivicEdge.Gateway.Gpio.Simulation.SimulatedGpioDriver Driver => _gpio.Driver;

    public static async Task<CommandRig> StartAsync(int maxWritesPerMinute = 12)
    {
        var rig = new CommandRig(maxWritesPerMinute);
        await rig._server.StartAsync(CancellationToken.None);
        await rig.Outputs.StartAsync(CancellationToken.None);
        var failures = new List<string>();
        var devices = new DevicesOptions
        {
            Devices = { new DeviceOptions { Id = Lamp, Profile = "test-slc", Endpoint = $"tcp://127.0.0.1:{rig._server.LocalEndPoint.Port}", Unit = 1 } },
        };
        var configuration = DeviceConfiguration.TryCreate(devices, ProfileLoader.LoadDirectory(rig._directory.Path), failures)
            ?? throw new InvalidOperationException(string.Join("; ", failures));
        await rig.Acquisition.ApplyAsync(configuration, CancellationToken.None);
        return rig;
    }

    public Task<CommandOutcome> RunAsync(string target, string name, string arguments)
    {
        using var document = JsonDocument.Parse(arguments);
        return Executor.ExecuteAsync(new CommandRequest("c-1", target, name, document.RootElement.Clone(), DateTimeOffset.UtcNow.AddMinutes(1)), CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await Acquisition.StopAsync(CancellationToken.None);
        await Acquisition.DisposeAsync();
        await Outputs.StopAsync(CancellationToken.None);
        await _server.DisposeAsync();
        _gpio.Dispose();
        _directory.Dispose();
    }

    private sealed class NoLifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }
}
