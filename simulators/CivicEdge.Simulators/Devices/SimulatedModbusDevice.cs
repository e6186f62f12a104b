using CivicEdge.Hardware;
using CivicEdge.Modbus;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CivicEdge.Simulators.Devices;

/// <summary>
/// A Modbus slave whose registers follow a model: the profile says where each value lives, the model says what it is,
/// and every update copies the model's present values into <see cref="Bank"/>. Serve the bank with a
/// <c>ModbusTcpServer</c> to put the device on the network.
/// </summary>
public sealed partial class SimulatedModbusDevice
{
    private readonly ProfileRegisterMap _map;
    private readonly ILogger _logger;

    /// <summary>Creates the device and fills its registers with the model's present values, writable points included.</summary>
    public SimulatedModbusDevice(DeviceProfile profile, IDeviceModel model, ILogger<SimulatedModbusDevice>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        _map = new ProfileRegisterMap(profile);
        _logger = logger ?? NullLogger<SimulatedModbusDevice>.Instance;
        Model = model;
        UnmodelledPoints = _map.Write(model, Bank, includeWritable: true);
        foreach (var point in UnmodelledPoints)
            LogUnmodelledPoint(profile.Model, point);
    }

    public DeviceProfile Profile => _map.Profile;

    public IDeviceModel Model { get; }

    /// <summary>The device's registers, as a master reads them.</summary>
    public RegisterBank Bank { get; } = new();

    /// <summary>The profile's points that the model has no value for; their registers stay zero.</summary>
    public IReadOnlyList<string> UnmodelledPoints { get; }

    /// <summary>
    /// Tells a controlled model what masters have written to the writable points, advances the model to now and
    /// refreshes the registers of every read-only point.
    /// </summary>
    public void Update()
    {
        if (Model is IControlledDeviceModel controlled)
        {
            foreach (var point in Profile.Points)
            {
                if (point.Writable && ProfileRegisterMap.TryRead(point, Bank, out var value))
                    controlled.Control(point.Name, value);
            }
        }
        Model.Update();
        _map.Write(Model, Bank, includeWritable: false);
    }

    /// <summary>Updates every <paramref name="interval"/> until <paramref name="cancellationToken"/> is cancelled, then returns.</summary>
    public async Task RunAsync(TimeSpan interval, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(timeProvider);
        using var timer = new PeriodicTimer(interval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
                Update();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Cancellation is how a simulation is told to stop; it is not a failure.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Point {Point} of profile {Model} has no value in the simulation model; its registers stay 0")]
    private partial void LogUnmodelledPoint(string model, string point);
}
