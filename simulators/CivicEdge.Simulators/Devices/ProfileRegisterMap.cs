using CivicEdge.Hardware;
using CivicEdge.Modbus;
using CivicEdge.Protocols.Modbus;

namespace CivicEdge.Simulators.Devices;

/// <summary>
/// Writes a model's values into a <see cref="RegisterBank"/> the way the device described by a profile would hold them:
/// at each point's table and address, in its data type and register order, with the profile's scaling inverted
/// (the profile reads value = raw × scale + offset, so the device holds raw = (value − offset) / scale).
/// </summary>
public sealed class ProfileRegisterMap
{
    public ProfileRegisterMap(DeviceProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        foreach (var point in profile.Points)
        {
            if (point.Table is not (RegisterTable.InputRegisters or RegisterTable.HoldingRegisters))
                throw new ArgumentException($"Point '{point.Name}' of {profile.Model} is in {point.Table}; only input and holding registers can be simulated.", nameof(profile));
        }
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
    /// <returns>The names of the points the model had no value for.</returns>
    public IReadOnlyList<string> Write(IDeviceModel model, RegisterBank bank, bool includeWritable)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(bank);
        var missing = new List<string>();
        Span<ushort> registers = stackalloc ushort[4];
        foreach (var point in Profile.Points)
        {
            if (point.Writable && !includeWritable)
                continue;
            if (!model.TryGetValue(point.Name, out var value))
            {
                missing.Add(point.Name);
                continue;
            }
            var count = RegisterValueCodec.RegisterCount(point.Type);
            RegisterValueCodec.Encode((value - point.Offset) / point.Scale, point.Type, point.Order, registers);
            bank.Write(point.Table, point.Address, registers[..count]);
        }
        return missing;
    }
}
