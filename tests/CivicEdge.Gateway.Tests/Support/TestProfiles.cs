using CivicEdge.Hardware;
using CivicEdge.Protocols.Modbus;

namespace CivicEdge.Gateway.Tests.Support;

/// <summary>Hardware profiles for tests, in memory and as files.</summary>
internal static class TestProfiles
{
    public const string MeterModel = "test-meter";

    /// <summary>A profile file in the documented schema: a meter with voltage, a distant energy register and a scaled holding register.</summary>
    public const string MeterYaml = """
        schema: civicedge.profile/v1
        model: test-meter
        manufacturer: CivicEdge
        protocol: modbus
        pollInterval: 1s
        points:
          - name: voltage
            quantity: voltage
            table: input
            address: 0
            type: float32
            unit: V
            min: 0
            max: 300
          - name: energy
            quantity: active_energy
            table: input
            address: 0x0156
            type: float32
            unit: kWh
          - name: setpoint
            table: holding
            address: 10
            type: int16
            scale: 0.1
            unit: V
        """;

    /// <summary>Writes <see cref="MeterYaml"/> into <paramref name="directory"/> and returns the directory.</summary>
    public static string WriteMeter(TempDirectory directory)
    {
        File.WriteAllText(directory.File("test-meter.yaml"), MeterYaml);
        return directory.Path;
    }

    public static PointDefinition Point(
        string name,
        ushort address,
        RegisterDataType type = RegisterDataType.UInt16,
        RegisterTable table = RegisterTable.InputRegisters,
        double scale = 1,
        double offset = 0,
        double? min = null,
        double? max = null,
        RegisterOrder order = RegisterOrder.ABCD,
        string unit = "V",
        string? quantity = "voltage") =>
        new(name, quantity, table, address, type, order, scale, offset, unit, min, max, Writable: false, Description: null);

    public static DeviceProfile Profile(TimeSpan pollInterval, params PointDefinition[] points) =>
        new("civicedge.profile/v1", MeterModel, "CivicEdge", null, "modbus", pollInterval, points, "test-meter.yaml");
}
