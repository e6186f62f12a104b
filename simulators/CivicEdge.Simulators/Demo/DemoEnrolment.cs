using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Simulators.Provisioning;

namespace CivicEdge.Simulators.Demo;

/// <summary>
/// The demo's devices as the fleet's ledger holds them: the gateway and everything it reads, each with its kind and
/// model, enrolled through the API before the gateway starts, since the broker admits only devices of the ledger.
/// </summary>
public static class DemoEnrolment
{
    public const string Tenant = "demo-city";

    public static IReadOnlyList<EnrolledDevice> Devices { get; } =
    [
        .. DemoStreet.MeterRoom.Select(device => new EnrolledDevice(device.Id, KindOf(device.Id), device.Profile)),
        .. DemoStreet.PoleBus.Select(device => new EnrolledDevice(device.Id, KindOf(device.Id), device.Profile)),
        new EnrolledDevice(DemoStreet.Pole, DeviceKind.PoleController, null),
        new EnrolledDevice(DemoStreet.PulseWaterMeter, DeviceKind.WaterMeter, null),
    ];

    /// <summary>The gateway's MQTT password file in the demo's data folder.</summary>
    public static string SecretFile(DemoOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Path.Combine(options.DataDirectory, "gateway.secret");
    }

    public static Task EnrolAsync(HttpClient fleet, DemoOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        return GatewayEnrolment.EnrolAsync(fleet, options.GatewayId, Devices, SecretFile(options), Tenant, cancellationToken);
    }

    private static DeviceKind KindOf(string id) => id switch
    {
        DemoStreet.EnergyMeter => DeviceKind.EnergyMeter,
        DemoStreet.WaterMeter => DeviceKind.WaterMeter,
        DemoStreet.HeatMeter => DeviceKind.HeatMeter,
        DemoStreet.Lamp => DeviceKind.Lamp,
        DemoStreet.Climate => DeviceKind.EnvironmentStation,
        _ => DeviceKind.Sensor,
    };
}
