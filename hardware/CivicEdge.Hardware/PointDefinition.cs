using CivicEdge.Protocols.Meters.Dlt645;
using CivicEdge.Protocols.Modbus;

namespace CivicEdge.Hardware;

/// <summary>
/// One point of a device profile: where it lives in the device and how to turn raw data into a value. A Modbus point
/// is located by table and address; a meter point by its protocol's selector (<see cref="MbusRecord"/>,
/// <see cref="CjT188Field"/>, <see cref="Dlt645Item"/>), and its table, address, type and order are unused.
/// </summary>
/// <param name="Name">A snake_case name unique within the profile, e.g. <c>voltage_l1</c>.</param>
/// <param name="Quantity">The physical quantity, e.g. <c>voltage</c>, <c>current</c>, <c>energy</c>.</param>
/// <param name="Table">The Modbus table the point is read from.</param>
/// <param name="Address">The zero-based protocol address of its first register (register 30001 is input address 0).</param>
/// <param name="Type">How the value is laid out across registers.</param>
/// <param name="Order">The byte order of a multi-register value.</param>
/// <param name="Scale">Multiplier applied to the raw value: value = raw × scale + offset.</param>
/// <param name="Offset">Added after scaling.</param>
/// <param name="Unit">The unit symbol of the scaled value, e.g. <c>V</c>, <c>kWh</c>.</param>
/// <param name="Min">The smallest plausible value; a reading below it has quality out-of-range.</param>
/// <param name="Max">The largest plausible value; a reading above it has quality out-of-range.</param>
/// <param name="Writable">Whether a master may write the point.</param>
/// <param name="Description">What the point is, for people.</param>
public sealed record PointDefinition(
    string Name,
    string? Quantity,
    RegisterTable Table,
    ushort Address,
    RegisterDataType Type,
    RegisterOrder Order,
    double Scale,
    double Offset,
    string Unit,
    double? Min,
    double? Max,
    bool Writable,
    string? Description)
{
    /// <summary>For a bit field: the bits of the point's one register that hold the value; null for a whole value.</summary>
    public BitField? Bits { get; init; }

    /// <summary>
    /// For a text point (<c>type: string</c>, nameplate data such as a serial number): its length in registers, two
    /// ASCII characters each, high byte first; null for a number.
    /// </summary>
    public int? Length { get; init; }

    /// <summary>True for a text point.</summary>
    public bool IsText => Length is not null;

    /// <summary>
    /// How far the value must move from the value last reported before it is reported again, in the point's unit
    /// (a <c>deadband: 1%</c> in the profile is resolved here against max − min); 0 reports every change.
    /// </summary>
    public double Deadband { get; init; }

    /// <summary>
    /// The longest the gateway stays silent about the point: once this has passed since it was last reported it is
    /// reported again even if it has not moved. The point's own <c>maxSilence</c>, else the profile's; null for none.
    /// </summary>
    public TimeSpan? MaxSilence { get; init; }

    /// <summary>A billing register (an energy, volume or heat total): its readings go to the billing stream.</summary>
    public bool Billing { get; init; }

    /// <summary>The point's alarm limits, at most one of each kind; empty for none.</summary>
    public IReadOnlyList<AlarmLimit> Alarms { get; init; } = [];

    /// <summary>
    /// For a point of an M-Bus profile: the data record it is read from. The record's value is converted from the unit
    /// the meter sends to <see cref="Unit"/>, then scaled (<see cref="Scale"/>, <see cref="Offset"/>).
    /// </summary>
    public MbusRecordSelector? MbusRecord { get; init; }

    /// <summary>For a point of a CJ/T 188 profile: the field of the read meter data answer it is read from.</summary>
    public CjT188Field? CjT188Field { get; init; }

    /// <summary>For a point of a DL/T 645 profile: the data item it is read from, with its identifier, format and unit.</summary>
    public Dlt645DataItem? Dlt645Item { get; init; }

    /// <summary>True for a point read from a meter protocol rather than from Modbus registers.</summary>
    public bool IsMeterPoint => MbusRecord is not null || CjT188Field is not null || Dlt645Item is not null;
}
