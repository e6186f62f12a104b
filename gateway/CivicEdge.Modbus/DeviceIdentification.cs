using CivicEdge.Protocols.Modbus;

namespace CivicEdge.Modbus;

/// <summary>
/// The identification objects of one unit, served by read device identification (function code 43, MEI type 14,
/// Modbus Application Protocol V1.1b3 §6.21): basic (0x00–0x02, mandatory for a conforming device), regular
/// (0x03–0x7F) and extended (0x80–0xFF) objects, ASCII strings. Thread-safe; may change while it is served.
/// </summary>
public sealed class DeviceIdentification
{
    /// <summary>The longest value one object can carry in a response of its own (§6.21: the object length is one byte, the PDU 253).</summary>
    public const int MaxValueLength = ModbusPdu.MaxLength - 9;

    private const byte LastRegularObject = 0x7F;

    private readonly Lock _gate = new();
    private readonly SortedDictionary<byte, string> _objects = [];

    /// <summary>Object 0x00 (basic).</summary>
    public string? VendorName
    {
        get => Get(ModbusDeviceObject.VendorName);
        set => Set(ModbusDeviceObject.VendorName, value);
    }

    /// <summary>Object 0x01 (basic).</summary>
    public string? ProductCode
    {
        get => Get(ModbusDeviceObject.ProductCode);
        set => Set(ModbusDeviceObject.ProductCode, value);
    }

    /// <summary>Object 0x02 (basic), e.g. <c>V2.11</c>.</summary>
    public string? MajorMinorRevision
    {
        get => Get(ModbusDeviceObject.MajorMinorRevision);
        set => Set(ModbusDeviceObject.MajorMinorRevision, value);
    }

    /// <summary>Object 0x03 (regular).</summary>
    public string? VendorUrl
    {
        get => Get(ModbusDeviceObject.VendorUrl);
        set => Set(ModbusDeviceObject.VendorUrl, value);
    }

    /// <summary>Object 0x04 (regular).</summary>
    public string? ProductName
    {
        get => Get(ModbusDeviceObject.ProductName);
        set => Set(ModbusDeviceObject.ProductName, value);
    }

    /// <summary>Object 0x05 (regular).</summary>
    public string? ModelName
    {
        get => Get(ModbusDeviceObject.ModelName);
        set => Set(ModbusDeviceObject.ModelName, value);
    }

    /// <summary>Object 0x06 (regular).</summary>
    public string? UserApplicationName
    {
        get => Get(ModbusDeviceObject.UserApplicationName);
        set => Set(ModbusDeviceObject.UserApplicationName, value);
    }

    /// <summary>Whether there is any object to serve; a unit without any refuses function code 43 with exception 01.</summary>
    public bool IsEmpty
    {
        get
        {
            lock (_gate)
                return _objects.Count == 0;
        }
    }

    /// <summary>
    /// The conformity level to report (§6.21): the highest category present (0x01 basic, 0x02 regular, 0x03 extended),
    /// with 0x80 set because single objects can be read one at a time (read device id code 04).
    /// </summary>
    public byte ConformityLevel
    {
        get
        {
            lock (_gate)
            {
                var highest = _objects.Count == 0 ? (byte)0 : _objects.Keys.Max();
                byte level = highest > LastRegularObject ? (byte)0x03 : highest > ModbusDeviceObject.MajorMinorRevision ? (byte)0x02 : (byte)0x01;
                return (byte)(0x80 | level);
            }
        }
    }

    /// <summary>The value of object <paramref name="id"/>, or null when the unit has none.</summary>
    public string? Get(byte id)
    {
        lock (_gate)
            return _objects.GetValueOrDefault(id);
    }

    /// <summary>Sets object <paramref name="id"/>; null removes it.</summary>
    /// <exception cref="ArgumentException">The value is not printable ASCII or is longer than <see cref="MaxValueLength"/>.</exception>
    public void Set(byte id, string? value)
    {
        if (value is not null)
        {
            if (value.Length > MaxValueLength)
                throw new ArgumentException($"Object 0x{id:X2}: expected at most {MaxValueLength} characters; found {value.Length}.", nameof(value));
            int bad = value.AsSpan().IndexOfAnyExceptInRange(' ', '~');
            if (bad >= 0)
                throw new ArgumentException($"Object 0x{id:X2}: expected printable ASCII; found U+{(int)value[bad]:X4} at position {bad}.", nameof(value));
        }

        lock (_gate)
        {
            if (value is null)
                _objects.Remove(id);
            else
                _objects[id] = value;
        }
    }

    /// <summary>
    /// The objects a stream access (read device id code 1..3) returns, from <paramref name="objectId"/> on; an id the
    /// unit does not have restarts at the first object of the category (§6.21).
    /// </summary>
    internal ModbusDeviceObject[] Stream(ModbusReadDeviceIdCode code, byte objectId)
    {
        byte last = code switch
        {
            ModbusReadDeviceIdCode.Basic => ModbusDeviceObject.MajorMinorRevision,
            ModbusReadDeviceIdCode.Regular => LastRegularObject,
            _ => byte.MaxValue,
        };
        lock (_gate)
        {
            var first = _objects.ContainsKey(objectId) && objectId <= last ? objectId : (byte)0;
            return [.. _objects.Where(o => o.Key >= first && o.Key <= last).Select(o => new ModbusDeviceObject(o.Key, o.Value))];
        }
    }
}
