using System.Device.Gpio;
using CivicEdge.Gateway.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CivicEdge.Gateway.Gpio.Simulation;

/// <summary>
/// Plays the <c>Gpio:Simulation</c> entries on the simulated chip: each pin rests at its idle level and is driven to
/// its active level for <see cref="SimulatedPinOptions.Hold"/> every <see cref="SimulatedPinOptions.Every"/>, so that a
/// gateway without hardware shows meters turning and doors opening through the same inputs as real wiring would.
/// </summary>
public sealed class GpioSimulation(IOptions<GpioOptions> options, SimulatedGpioDriver driver, TimeProvider timeProvider) : BackgroundService
{
    /// <summary>Puts every simulated pin at its idle level before the inputs open, so they start from a quiet line.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var pin in options.Value.Simulation)
            driver.Drive(pin.Pin!.Value, pin.ActiveLow ? PinValue.High : PinValue.Low);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.WhenAll(options.Value.Simulation.Select(pin => PlayAsync(pin, stoppingToken))).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The simulated devices stop with the gateway.
        }
    }

    private async Task PlayAsync(SimulatedPinOptions pin, CancellationToken stoppingToken)
    {
        var active = pin.ActiveLow ? PinValue.Low : PinValue.High;
        var idle = pin.ActiveLow ? PinValue.High : PinValue.Low;
        while (true)
        {
            await Task.Delay(pin.Every - pin.Hold, timeProvider, stoppingToken).ConfigureAwait(false);
            driver.Drive(pin.Pin!.Value, active);
            try
            {
                await Task.Delay(pin.Hold, timeProvider, stoppingToken).ConfigureAwait(false);
            }
            finally
            {
                driver.Drive(pin.Pin!.Value, idle);
            }
        }
    }
}
