using System.Device.Gpio;
using System.Threading.Channels;
using CivicEdge.Gateway.Acquisition;
using CivicEdge.Gateway.Configuration;
using CivicEdge.Gateway.Gpio;
using CivicEdge.Gateway.Gpio.Simulation;
using CivicEdge.Gateway.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CivicEdge.Gateway.Tests.Support;

/// <summary>
/// The GPIO services on a simulated chip, a fake clock and a real gateway database, with the readings and events they
/// produce in channels of their own. Scripts play the field: contacts that bounce, meters that pulse.
/// </summary>
internal sealed class GpioRig : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 28, 6, 0, 0, TimeSpan.Zero);

    /// <summary>How long one bounce of a contact lasts in the scripts: a reed contact settles within a few of these.</summary>
    public static readonly TimeSpan BounceStep = TimeSpan.FromMilliseconds(1);

    private readonly List<IDisposable> _owned = [];

    public GpioRig(string databasePath, SimulatedGpioDriver? driver = null)
    {
        Hardware = new SimulatedGpioHardware(driver);
        Controller = new GpioController(Hardware.Driver);
        Database = new GatewayDatabase(databasePath);
        Totals = new PulseTotalStore(Database);
    }

    public FakeTimeProvider Time { get; } = new(Start);

    public SimulatedGpioHardware Hardware { get; }

    public SimulatedGpioDriver Driver => Hardware.Driver;

    public GpioController Controller { get; }

    public GatewayDatabase Database { get; }

    public PulseTotalStore Totals { get; }

    public Channel<DeviceReading> Readings { get; } = Channel.CreateUnbounded<DeviceReading>();

    public Channel<DeviceEvent> Events { get; } = Channel.CreateUnbounded<DeviceEvent>();

    public GpioInputService Inputs(GpioOptions options)
    {
        var service = new GpioInputService(Options.Create(options), Controller, Totals, Readings.Writer, Events.Writer, Time, NullLoggerFactory.Instance);
        _owned.Add(service);
        return service;
    }

    public GpioOutputs Outputs(GpioOptions options)
    {
        var outputs = new GpioOutputs(Options.Create(options), Controller, Hardware, Readings.Writer, Time, NullLogger<GpioOutputs>.Instance);
        _owned.Add(outputs);
        return outputs;
    }

    /// <summary>Moves <paramref name="pin"/> to <paramref name="level"/>, bouncing back <paramref name="bounces"/> times on the way.</summary>
    public void Set(int pin, PinValue level, int bounces = 0)
    {
        var other = level == PinValue.High ? PinValue.Low : PinValue.High;
        for (var i = 0; i < bounces; i++)
        {
            Driver.Drive(pin, level);
            Time.Advance(BounceStep);
            Driver.Drive(pin, other);
            Time.Advance(BounceStep);
        }

        Driver.Drive(pin, level);
    }

    /// <summary>
    /// One pulse of an open-collector or reed output on an active-low input: low for <paramref name="width"/> (bounces
    /// included), then high for <paramref name="pause"/>.
    /// </summary>
    public void Pulse(int pin, TimeSpan width, TimeSpan pause, int bounces = 0)
    {
        var bouncing = 2 * bounces * BounceStep;
        Set(pin, PinValue.Low, bounces);
        Time.Advance(width - bouncing);
        Set(pin, PinValue.High, bounces);
        Time.Advance(pause - bouncing);
    }

    /// <summary>The next reading for which <paramref name="match"/> holds, skipping others.</summary>
    public async Task<DeviceReading> NextReadingAsync(Func<DeviceReading, bool> match)
    {
        using var limit = new CancellationTokenSource(Wait.Limit);
        try
        {
            while (true)
            {
                var reading = await Readings.Reader.ReadAsync(limit.Token);
                if (match(reading))
                    return reading;
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail("Gave up waiting for a matching reading.");
            throw;
        }
    }

    /// <summary>The next reading of <paramref name="point"/>.</summary>
    public Task<DeviceReading> NextReadingAsync(string point) => NextReadingAsync(r => r.Points.Any(p => p.Name == point));

    public Task<DeviceEvent> NextEventAsync() => Events.Reader.ReadAsync().AsTask().WaitAsync(Wait.Limit);

    /// <summary>Every reading waiting now.</summary>
    public List<DeviceReading> TakeReadings()
    {
        var taken = new List<DeviceReading>();
        while (Readings.Reader.TryRead(out var reading))
            taken.Add(reading);
        return taken;
    }

    public void Dispose()
    {
        foreach (var owned in _owned)
            owned.Dispose();
        Controller.Dispose();
        Database.Dispose();
    }
}
