using System.Buffers.Binary;
using CivicEdge.Protocols.MBus;
using CivicEdge.Simulators.Meters;

namespace CivicEdge.Simulators.MeterLines;

/// <summary>
/// A simulated EN 1434 heat meter on M-Bus, answering REQ_UD2 with a variable data telegram (CI 72, EN 13757-3 §5.4) in
/// the record layout of compact heat meters such as the Landis+Gyr Ultraheat T230: energy (kWh, 8-digit BCD), volume
/// (0.01 m³), power (W), flow (l/h), flow and return temperature (0.1 °C, 4-digit BCD), temperature difference (0.01 K,
/// signed 16-bit), error flags (VIF FD 17) and the due-date energy as storage 1. Values come from <see cref="HeatMeterModel"/>.
/// </summary>
public sealed class MbusHeatMeter
{
    /// <summary>Medium 04H: heat, outlet (EN 13757-3 Table 3), as the T230 sends.</summary>
    public const byte HeatMedium = 0x04;

    private readonly HeatMeterModel _model;
    private byte _accessNumber;

    /// <param name="primary">The primary address 0..250.</param>
    /// <param name="identification">The identification number, 8 digits.</param>
    /// <param name="model">Where the values come from.</param>
    public MbusHeatMeter(byte primary, string identification, HeatMeterModel model)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(primary, (byte)250);
        ArgumentException.ThrowIfNullOrEmpty(identification);
        if (identification.Length != 8 || !identification.All(char.IsAsciiDigit))
            throw new ArgumentException($"Expected an 8-digit identification number; found '{identification}'.", nameof(identification));
        Primary = primary;
        Identification = identification;
        _model = model ?? throw new ArgumentNullException(nameof(model));
    }

    public byte Primary { get; }

    public string Identification { get; }

    /// <summary>The manufacturer flag sent in the header (EN 13757-3 §5.4; a simulator's own).</summary>
    public static string Manufacturer => "CES";

    /// <summary>The error flags the meter reports (VIF FD 17); 0 for none.</summary>
    public int ErrorFlags { get; set; }

    /// <summary>Whether a secondary address selection chose this meter (EN 13757-3 §11.5); it then answers at address FD.</summary>
    public bool Selected { get; set; }

    public void Update() => _model.Update();

    /// <summary>The RSP_UD long frame with the meter's current values, sent from <paramref name="address"/>.</summary>
    public byte[] Telegram(byte address) => Build(address, 0x72, Records());

    /// <summary>An application error telegram (CI 70, EN 13757-3 §9: code 1, application busy).</summary>
    public byte[] ApplicationError(byte address) => Build(address, 0x70, [0x01]);

    private byte[] Build(byte address, byte ci, byte[] body)
    {
        var data = new List<byte>();
        if (ci == 0x72)
            data.AddRange(Header());
        data.AddRange(body);
        var frame = new byte[MbusFramer.MaxFrameLength];
        // C field 08H: RSP_UD (EN 13757-2 §5.4).
        var length = MbusFramer.EncodeLong(frame, 0x08, address, ci, [.. data]);
        return frame[..length];
    }

    private byte[] Header()
    {
        var header = new byte[12];
        Bcd(long.Parse(Identification, System.Globalization.CultureInfo.InvariantCulture), header.AsSpan(0, 4));
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(4), MbusManufacturer.Encode(Manufacturer));
        header[6] = 0x01;
        header[7] = HeatMedium;
        header[8] = _accessNumber++;
        header[9] = 0x00;
        return header;
    }

    private byte[] Records()
    {
        var records = new List<byte>();
        Value("heat_energy", out var energy);
        Value("volume", out var volume);
        Value("heat_power", out var power);
        Value("flow_rate", out var flow);
        Value("supply_temperature", out var supply);
        Value("return_temperature", out var returning);
        Value("due_date_energy", out var dueDate);
        // DIF 0C: 8-digit BCD; VIF 06: energy 10^3 Wh (kWh).
        Add(records, [0x0C, 0x06], 4, (long)Math.Floor(energy));
        // VIF 14: volume 10^-2 m³.
        Add(records, [0x0C, 0x14], 4, (long)Math.Floor(volume * 100));
        // DIF 0B: 6-digit BCD; VIF 2B: power W.
        Add(records, [0x0B, 0x2B], 3, (long)Math.Round(power));
        // VIF 3B: volume flow 10^-3 m³/h (l/h).
        Add(records, [0x0B, 0x3B], 3, (long)Math.Round(flow * 1000));
        // DIF 0A: 4-digit BCD; VIF 5A / 5E: flow / return temperature 10^-1 °C.
        Add(records, [0x0A, 0x5A], 2, (long)Math.Round(supply * 10));
        Add(records, [0x0A, 0x5E], 2, (long)Math.Round(returning * 10));
        // DIF 02: 16-bit integer, signed; VIF 61: temperature difference 10^-2 K.
        records.AddRange([0x02, 0x61]);
        var difference = new byte[2];
        BinaryPrimitives.WriteInt16LittleEndian(difference, (short)Math.Round((Math.Round(supply * 10) - Math.Round(returning * 10)) * 10));
        records.AddRange(difference);
        // DIF 02, VIF FD 17: error flags (EN 13757-3 Table 14).
        records.AddRange([0x02, 0xFD, 0x17, (byte)ErrorFlags, (byte)(ErrorFlags >> 8)]);
        // DIF 4C: storage number 1 (bit 6), 8-digit BCD; VIF 06: energy at the due date.
        Add(records, [0x4C, 0x06], 4, (long)Math.Floor(dueDate));
        return [.. records];
    }

    private void Value(string point, out double value)
    {
        if (!_model.TryGetValue(point, out value))
            throw new InvalidOperationException($"The heat meter model has no {point}.");
    }

    private static void Add(List<byte> records, byte[] header, int bytes, long value)
    {
        records.AddRange(header);
        var data = new byte[bytes];
        Bcd(value, data);
        records.AddRange(data);
    }

    /// <summary>Packed BCD, least significant byte first (EN 13757-3 Annex A, type A), clamped to the digits there are.</summary>
    private static void Bcd(long value, Span<byte> destination)
    {
        var max = (long)Math.Pow(10, 2 * destination.Length) - 1;
        value = Math.Clamp(value, 0, max);
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = (byte)(((value / 10 % 10) << 4) | (value % 10));
            value /= 100;
        }
    }
}
