using CivicEdge.Hardware;
using CivicEdge.Modbus;
using CivicEdge.Protocols.Modbus;

namespace CivicEdge.Simulators.Devices;

/// <summary>
/// Writes a model's values into a <see cref="RegisterBank"/> the way the device described by a profile would hold them:
/// at each point's table and address, in its data type and register order, with the profile's scaling inverted
/// (the profile reads value = raw × scale + offset, so the device holds raw = (value − offset) / scale). A coil or
/// discrete input is set when its value is not 0; a bit field is written into its bits alone, so that the status flags
/// sharing a register keep each other.
/// </summary>
public sealed class ProfileRegisterMap
{
    public ProfileRegisterMap(DeviceProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        Profile = profile;
    }

    public DeviceProfile Profile { get; }

    /// <summary>Writes every point the model has a value for; the registers of the others keep what they held.</summary>
    /// <param name="model">Where the values come from.</param>
    /// <param name="bank">The device's registers.</param>
    /// <param name="includeWritable">
    /// Whether to write writable points too. A device sets those once at power-up; after that they hold what a master
    /// wrote, so a periodic refresh leaves them alone.
    /// </param>
    /// <returns>
    /// The names of the numeric points the model had no value for. Text points (nameplate data) are not modelled and
    /// stay blank.
    /// </returns>
    public IReadOnlyList<string> Write(IDeviceModel model, RegisterBank bank, bool includeWritable)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(bank);
        var missing = new List<string>();
        foreach (var point in Profile.Points)
        {
            if (point.IsText || (point.Writable && !includeWritable))
                continue;
            if (!model.TryGetValue(point.Name, out var value))
            {
                missing.Add(point.Name);
                continue;
            }
            WritePoint(point, value, bank);
        }
        return missing;
    }

    /// <summary>Reads a point back as a master would, e.g. a set-point a master wrote; false for a text point.</summary>
    public static bool TryRead(PointDefinition point, RegisterBank bank, out double value)
    {
        ArgumentNullException.ThrowIfNull(point);
        ArgumentNullException.ThrowIfNull(bank);
        value = 0;
        if (point.IsText)
            return false;
        if (IsBit(point))
        {
            Span<bool> bit = stackalloc bool[1];
            bank.ReadBits(point.Table, point.Address, bit);
            value = (bit[0] ? 1 : 0) * point.Scale + point.Offset;
            return true;
        }

        Span<ushort> registers = stackalloc ushort[RegisterValueCodec.RegisterCount(point.Type)];
        bank.Read(point.Table, point.Address, registers);
        var raw = point.Bits is { } bits
            ? RegisterValueCodec.DecodeBitField((ushort)RegisterValueCodec.Decode(registers, RegisterDataType.UInt16, point.Order), bits.First, bits.Count)
            : RegisterValueCodec.Decode(registers, point.Type, point.Order);
        value = raw * point.Scale + point.Offset;
        return double.IsFinite(value);
    }

    private static void WritePoint(PointDefinition point, double value, RegisterBank bank)
    {
        var raw = (value - point.Offset) / point.Scale;
        if (IsBit(point))
        {
            bank.WriteBits(point.Table, point.Address, [Math.Round(raw) != 0]);
            return;
        }

        Span<ushort> registers = stackalloc ushort[RegisterValueCodec.RegisterCount(point.Type)];
        if (point.Bits is { } bits)
        {
            // The other fields of the status register stay as they are.
            bank.Read(point.Table, point.Address, registers);
            var register = (ushort)RegisterValueCodec.Decode(registers, RegisterDataType.UInt16, point.Order);
            var field = (int)Math.Clamp(Math.Round(raw), 0, (1 << bits.Count) - 1);
            RegisterValueCodec.Encode(RegisterValueCodec.EncodeBitField(register, bits.First, bits.Count, field), RegisterDataType.UInt16, point.Order, registers);
        }
        else
        {
            RegisterValueCodec.Encode(raw, point.Type, point.Order, registers);
        }
        bank.Write(point.Table, point.Address, registers);
    }

    private static bool IsBit(PointDefinition point) => point.Table is RegisterTable.Coils or RegisterTable.DiscreteInputs;
}
