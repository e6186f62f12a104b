using System.Globalization;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Simulators.Provisioning;

namespace CivicEdge.Simulators.Demo;

/// <summary>
/// The demo's devices as the fleet's ledger holds them: the gateway and everything it reads, each with its kind and
/// model and where it is mounted (one district, so the health figures have a row), enrolled through the API before
/// the gateway starts, since the broker admits only devices of the ledger, and put in service.
/// </summary>
public static class DemoEnrolment
{
    public const string Tenant = "demo-city";
    public const string District = "Jinshui";

    /// <summary>The meter room in a utility building; the pole at the kerb in front of it, pole number P-0412.</summary>
    private static readonly DeviceLocation MeterRoomLocation = new(34.7466, 113.6253, "12 Huayuan Road, meter room", null, District);
    private static readonly DeviceLocation PoleLocation = new(34.7468, 113.6251, "12 Huayuan Road", "P-0412", District);

    /// <summary>The street's poles stand 30 m apart eastwards from P-0412, numbered on.</summary>
    private static DeviceLocation StreetPole(int unit) =>
        new(34.7468, 113.6251 + ((unit - 1) * 0.00033), "Huayuan Road", string.Create(CultureInfo.InvariantCulture, $"P-{411 + unit:D4}"), District);

    public static IReadOnlyList<EnrolledDevice> Devices { get; } =
    [
        .. DemoStreet.MeterRoom.Select(device => new EnrolledDevice(device.Id, KindOf(device.Id), device.Profile) { Location = MeterRoomLocation }),
        .. DemoStreet.PoleBus.Select(device => new EnrolledDevice(device.Id, KindOf(device.Id), device.Profile) { Location = PoleLocation }),
        .. DemoStreet.Street.Select(device => new EnrolledDevice(device.Id, DeviceKind.Lamp, device.Profile) { Location = StreetPole(device.Unit) }),
        .. DemoStreet.MeterLines.Select(meter => new EnrolledDevice(meter.Id, meter.Protocol switch
        {
            "mbus" => DeviceKind.HeatMeter,
            "cjt188" => DeviceKind.WaterMeter,
            _ => DeviceKind.EnergyMeter,
        }, meter.Profile) { Location = MeterRoomLocation }),
        new EnrolledDevice(DemoStreet.Pole, DeviceKind.PoleController, null) { Location = PoleLocation },
        new EnrolledDevice(DemoStreet.PulseWaterMeter, DeviceKind.WaterMeter, null) { Location = MeterRoomLocation },
    ];

    /// <summary>The gateway's MQTT password file in the demo's data folder.</summary>
    public static string SecretFile(DemoOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Path.Combine(options.DataDirectory, "gateway.secret");
    }

    /// <summary>Registers the gateway and its devices, issues the gateway's credential and puts everything in service.</summary>
    public static async Task EnrolAsync(HttpClient fleet, DemoOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var gateway = new EnrolledDevice(options.GatewayId, DeviceKind.Gateway, "civicedge-gateway") { Location = PoleLocation };
        await GatewayEnrolment.EnrolAsync(fleet, gateway, Devices, SecretFile(options), Tenant, cancellationToken);
        await GatewayEnrolment.PutInServiceAsync(fleet, [gateway.Code, .. Devices.Select(device => device.Code)], "demo street commissioned", cancellationToken);
    }

    private static DeviceKind KindOf(string id) => id switch
    {
        DemoStreet.EnergyMeter => DeviceKind.EnergyMeter,
        DemoStreet.WaterMeter => DeviceKind.WaterMeter,
        DemoStreet.HeatMeter => DeviceKind.HeatMeter,
        DemoStreet.Climate => DeviceKind.EnvironmentStation,
        _ => DeviceKind.Sensor,
    };
}
