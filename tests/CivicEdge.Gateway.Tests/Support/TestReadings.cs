using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Acquisition;

namespace CivicEdge.Gateway.Tests.Support;

internal static class TestReadings
{
    public static readonly DateTimeOffset Start = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);

    /// <summary>A reading whose voltage is <paramref name="volts"/>, taken <paramref name="second"/> seconds after <see cref="Start"/>.</summary>
    public static DeviceReading Reading(double volts, int second = 0, string device = "mtr-1") =>
        new(device, "test-meter", Start.AddSeconds(second), [new PointValue("voltage", volts, "V", "voltage", Quality.Good)]);

    public static DeviceReading[] Readings(int count, int firstVolts = 1) =>
        [.. Enumerable.Range(0, count).Select(i => Reading(firstVolts + i, i))];

    /// <summary>A billing reading of an energy register, taken <paramref name="second"/> seconds after <see cref="Start"/>.</summary>
    public static DeviceReading Billing(double kilowattHours, int second = 0, string device = "mtr-1") =>
        new(device, "test-meter", Start.AddSeconds(second), [new PointValue("energy", kilowattHours, "kWh", "energy", Quality.Good)])
        {
            Stream = Streams.Billing,
        };

    /// <summary>An event of <paramref name="device"/>, <paramref name="second"/> seconds after <see cref="Start"/>.</summary>
    public static DeviceEvent Event(string code, int second = 0, string device = "mtr-1") =>
        new(device, Start.AddSeconds(second), code, EventState.Raised, EventSeverity.Major, $"{code} on {device}");
}
