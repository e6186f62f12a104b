using System.Device.Gpio;
using CivicEdge.Gateway.Configuration;
using CivicEdge.Gateway.Gpio;
using CivicEdge.Gateway.Gpio.Simulation;
using CivicEdge.Gateway.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CivicEdge.Gateway.Hosting;

/// <summary>
/// Registers the gateway's GPIO when the configuration has a <c>Gpio</c> section: the options, the pins (through the
/// <see cref="IGpioHardware"/> the host registers), the pulse totals' store, <see cref="GpioOutputs"/>,
/// <see cref="GpioInputService"/> and, on a simulated chip, the <see cref="GpioSimulation"/> of its field devices.
/// </summary>
public static class GpioServiceCollectionExtensions
{
    /// <summary>True when <paramref name="configuration"/> configures GPIO.</summary>
    public static bool HasGpio(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.GetSection(GpioOptions.SectionName).Exists();
    }

    /// <summary>
    /// Adds the GPIO services. A simulation of the field devices (if configured) starts first, so inputs open on quiet
    /// lines; the outputs start before the inputs (lamps reach their safe state first) and stop after them; all sit
    /// between the outbox writer and the uplink, so what they report on shutdown is committed.
    /// </summary>
    public static IServiceCollection AddCivicEdgeGpio(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<GpioOptions>()
            .Configure(options => StrictBinding.Bind(configuration.GetSection(GpioOptions.SectionName), options))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<GpioOptions>, GpioOptionsValidator>();

        services.AddSingleton(sp => OpenController(
            sp.GetService<IGpioHardware>()
                ?? throw new InvalidOperationException(
                    $"The {GpioOptions.SectionName} section is configured but the host registered no {nameof(IGpioHardware)} " +
                    $"(production hosts register {nameof(ConfiguredGpioHardware)})."),
            sp.GetRequiredService<IOptions<GpioOptions>>().Value));
        services.AddSingleton(sp => new PulseTotalStore(sp.GetRequiredService<GatewayDatabase>()));
        if (configuration.GetSection($"{GpioOptions.SectionName}:{nameof(GpioOptions.Simulation)}").Exists())
        {
            services.AddHostedService(sp => new GpioSimulation(
                sp.GetRequiredService<IOptions<GpioOptions>>(),
                SimulatedDriver(sp.GetRequiredService<IGpioHardware>()),
                sp.GetRequiredService<TimeProvider>()));
        }

        services.AddSingleton<GpioOutputs>();
        services.AddSingleton<GpioInputService>();
        services.AddHostedService(sp => sp.GetRequiredService<GpioOutputs>());
        services.AddHostedService(sp => sp.GetRequiredService<GpioInputService>());
        return services;
    }

    private static SimulatedGpioDriver SimulatedDriver(IGpioHardware hardware) => hardware switch
    {
        SimulatedGpioHardware simulated => simulated.Driver,
        ConfiguredGpioHardware { Simulation: { } simulated } => simulated.Driver,
        _ => throw new InvalidOperationException(
            $"{GpioOptions.SectionName}:Simulation needs the simulated chip, but the host's {nameof(IGpioHardware)} is {hardware.GetType().Name}."),
    };

    /// <summary>Opens the driver and checks every configured pin exists on it, naming the key of any that does not.</summary>
    private static GpioController OpenController(IGpioHardware hardware, GpioOptions options)
    {
        var driver = hardware.OpenDriver();
        var controller = new GpioController(driver);
        int pinCount;
        try
        {
            pinCount = controller.PinCount;
        }
        catch (Exception ex) when (ex is PlatformNotSupportedException or NotSupportedException)
        {
            // sysfs does not know how many pins there are; opening a missing one fails with the kernel's error.
            return controller;
        }

        var pins = options.Doors.Select((input, i) => ($"Doors:{i}", input.Pin))
            .Concat(options.PulseCounters.Select((input, i) => ($"PulseCounters:{i}", input.Pin)))
            .Concat(options.Relays.Select((relay, i) => ($"Relays:{i}", relay.Pin)))
            .Concat(options.Simulation.Select((pin, i) => ($"Simulation:{i}", pin.Pin)));
        var failures = pins.Where(entry => entry.Pin >= pinCount)
            .Select(entry => $"{GpioOptions.SectionName}:{entry.Item1}:Pin is {entry.Pin}; expected 0..{pinCount - 1}, the lines of the GPIO chip.")
            .ToList();
        if (failures.Count == 0)
            return controller;

        controller.Dispose();
        throw new OptionsValidationException(Options.DefaultName, typeof(GpioOptions), failures);
    }
}
