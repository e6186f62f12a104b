using System.Buffers.Binary;

namespace CivicEdge.Protocols.MBus;

/// <summary>
/// Decodes the application layer of an RSP_UD telegram (EN 13757-3): the CI field, the fixed or variable data structure,
/// and every data record. Never throws on field data: a record that cannot be read ends the decode with an error that
/// names the offset (from the CI field), what was expected and what was found; the records before it are kept.
/// </summary>
public static class MbusApplicationDecoder
{
    /// <summary>CI 72: variable data structure with the 12-byte long header, least significant byte first.</summary>
    public const byte VariableDataLong = 0x72;

    /// <summary>CI 7A: variable data structure with the 4-byte short header.</summary>
    public const byte VariableDataShort = 0x7A;

    /// <summary>CI 78: variable data structure without header.</summary>
    public const byte VariableDataNoHeader = 0x78;

    /// <summary>CI 73: fixed data structure (EN 13757-3 Annex G), least significant byte first.</summary>
    public const byte FixedData = 0x73;

    /// <summary>CI 70: the slave reports an application error (EN 13757-3 §9).</summary>
    public const byte ApplicationError = 0x70;

    private const int MaxExtensions = 10;

    /// <summary>Decodes <paramref name="data"/>, which starts with the CI field.</summary>
    public static MbusTelegram Decode(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
            return Failed(0, null, "offset 0: expected a CI field, found no bytes");
        byte ci = data[0];
        switch (ci)
        {
            case ApplicationError:
                return DecodeApplicationError(data);
            case FixedData:
                return DecodeFixed(data);
            case VariableDataLong:
                if (data.Length < 13)
                    return Failed(ci, null, $"offset 1: expected the 12-byte data header of CI 72, found {data.Length - 1} bytes");
                return DecodeRecords(data, 13, LongHeader(data.Slice(1, 12)));
            case VariableDataShort:
                if (data.Length < 5)
                    return Failed(ci, null, $"offset 1: expected the 4-byte data header of CI 7A, found {data.Length - 1} bytes");
                return DecodeRecords(data, 5, new MbusTelegramHeader(0, "", 0, 0, data[1], data[2], BinaryPrimitives.ReadUInt16LittleEndian(data[3..])));
            case VariableDataNoHeader:
                return DecodeRecords(data, 1, null);
            default:
                return Failed(ci, null, $"offset 0: expected a CI field of a response (70, 72, 73, 78 or 7A), found {ci:X2}");
        }
    }

    private static MbusTelegram Failed(byte ci, MbusTelegramHeader? header, string error, int offset = 0) =>
        new(ci, header, [], false, error, offset);

    private static MbusTelegram DecodeApplicationError(ReadOnlySpan<byte> data)
    {
        // §9: CI 70 with one status byte; a slave that sends none reports an unspecified error (code 0).
        int code = data.Length > 1 ? data[1] : 0;
        string meaning = code switch
        {
            0 => "unspecified error",
            1 => "unimplemented CI field",
            2 => "buffer too long, truncated",
            3 => "too many records",
            4 => "premature end of record",
            5 => "more than 10 DIFEs",
            6 => "more than 10 VIFEs",
            8 => "application busy",
            9 => "too many readouts",
            _ => "reserved error code",
        };
        return new MbusTelegram(ApplicationError, null, [], false, $"the slave reports application error {code:X2}: {meaning}", 0)
        {
            ApplicationErrorCode = code,
        };
    }

    private static MbusTelegramHeader LongHeader(ReadOnlySpan<byte> h)
    {
        // An identification that is not BCD is reported as −1 rather than as a number the meter did not send.
        long id = MbusDataField.TryBcd(h[..4], out long bcd) && bcd >= 0 ? bcd : -1;
        return new MbusTelegramHeader(
            id,
            MbusManufacturer.Decode(BinaryPrimitives.ReadUInt16LittleEndian(h[4..])),
            h[6], h[7], h[8], h[9],
            BinaryPrimitives.ReadUInt16LittleEndian(h[10..]));
    }

    /// <summary>
    /// Fixed data structure (EN 13757-3 Annex G): identification (BCD), access number, status, medium and units (2
    /// bytes), counter 1 and counter 2 (4 bytes each). Status bit 7 says the counters are binary rather than BCD; bit 6
    /// that counter 1 is a stored value. The medium is carried in the top two bits of each unit byte.
    /// </summary>
    private static MbusTelegram DecodeFixed(ReadOnlySpan<byte> data)
    {
        if (data.Length < 17)
            return Failed(FixedData, null, $"offset 1: expected 16 bytes of fixed data structure, found {data.Length - 1}");
        var d = data[1..];
        long id = MbusDataField.TryBcd(d[..4], out long idBcd) && idBcd >= 0 ? idBcd : -1;
        byte status = d[5];
        byte medium = (byte)(((d[7] & 0xC0) >> 4) | ((d[6] & 0xC0) >> 6));
        var header = new MbusTelegramHeader(id, "", 0, medium, d[4], status, 0);
        var records = new List<MbusDataRecord>(2);
        for (int i = 0; i < 2; i++)
        {
            var counter = d.Slice(8 + (4 * i), 4);
            var unit = FixedUnit(d[6 + i] & 0x3F);
            double value;
            if ((status & 0x80) != 0)
                value = BinaryPrimitives.ReadUInt32LittleEndian(counter);
            else if (MbusDataField.TryBcd(counter, out long bcd))
                value = bcd;
            else
                return new MbusTelegram(FixedData, header, records, false,
                    $"offset {9 + (4 * i)}: expected a BCD counter {i + 1}, found {Convert.ToHexString(counter)}", 9 + (4 * i));
            long storage = i == 0 && (status & 0x40) != 0 ? 1 : 0;
            records.Add(new MbusDataRecord(9 + (4 * i), MbusFunction.Instantaneous, storage, 0, 0, unit.Quantity, unit.Unit,
                MbusValueKind.Numeric, value * unit.Scale, null, counter.ToArray()));
        }
        return new MbusTelegram(FixedData, header, records, false, null, 0);
    }

    /// <summary>
    /// Units of the fixed data structure (EN 1434-3 fixed format, carried over by EN 13757-3): six-bit codes in decades
    /// of three — Wh, 10 Wh, 100 Wh, kWh … from 02; kJ … from 0B; W … from 14; kJ/h … from 1D; ml … from 26; ml/h …
    /// from 2F. Values are scaled to Wh, J, W, J/h, m^3 and m^3/h. Codes 00 and 01 (h,m,s and D,M,Y counters) and the
    /// codes above 36 carry no scale this decoder can vouch for: the counter is reported unscaled and without a unit.
    /// </summary>
    private static MbusValueInformation FixedUnit(int code) => code switch
    {
        >= 0x02 and <= 0x0A => new("Energy", "Wh", Math.Pow(10, code - 0x02)),
        >= 0x0B and <= 0x13 => new("Energy", "J", Math.Pow(10, code - 0x0B + 3)),
        >= 0x14 and <= 0x1C => new("Power", "W", Math.Pow(10, code - 0x14)),
        >= 0x1D and <= 0x25 => new("Power", "J/h", Math.Pow(10, code - 0x1D + 3)),
        >= 0x26 and <= 0x2E => new("Volume", "m^3", Math.Pow(10, code - 0x26 - 6)),
        >= 0x2F and <= 0x36 => new("Volume flow", "m^3/h", Math.Pow(10, code - 0x2F - 6)),
        _ => new("Reserved", "", 1, MbusVifMeaning.Reserved),
    };

    private static MbusTelegram DecodeRecords(ReadOnlySpan<byte> data, int start, MbusTelegramHeader? header)
    {
        byte ci = data[0];
        var records = new List<MbusDataRecord>();
        int p = start;
        while (p < data.Length)
        {
            int recordStart = p;
            byte dif = data[p];
            if (dif == 0x2F)
            {
                p++; // idle filler (Table 7)
                continue;
            }
            if (dif is 0x0F or 0x1F)
            {
                // Manufacturer-specific data to the end of the telegram; 1F also says more records follow (Table 7).
                var rest = data[(p + 1)..];
                records.Add(new MbusDataRecord(p, MbusFunction.ManufacturerSpecific, 0, 0, 0, "Manufacturer specific", "",
                    MbusValueKind.Bytes, double.NaN, null, rest.ToArray()) { Header = new[] { dif } });
                return new MbusTelegram(ci, header, records, dif == 0x1F, null, 0);
            }
            if ((dif & 0x0F) == 0x0F)
                return Partial(ci, header, records, p, $"expected a DIF, found special function {dif:X2} which a slave does not send");

            var function = (MbusFunction)((dif >> 4) & 0x03);
            long storage = (dif >> 6) & 0x01;
            int tariff = 0;
            int subunit = 0;
            int code = dif & 0x0F;
            p++;
            int difes = 0;
            bool extended = (dif & 0x80) != 0;
            while (extended)
            {
                if (p >= data.Length)
                    return Partial(ci, header, records, p, $"expected DIFE {difes + 1} of the record at offset {recordStart}, found the end of the telegram");
                if (difes == MaxExtensions)
                    return Partial(ci, header, records, p, $"expected at most {MaxExtensions} DIFEs (EN 13757-3 §6.3.3), found an eleventh");
                byte dife = data[p++];
                storage |= (long)(dife & 0x0F) << (1 + (4 * difes));
                tariff |= ((dife >> 4) & 0x03) << (2 * difes);
                subunit |= ((dife >> 6) & 0x01) << difes;
                difes++;
                extended = (dife & 0x80) != 0;
            }

            if (p >= data.Length)
                return Partial(ci, header, records, p, $"expected a VIF for the record at offset {recordStart}, found the end of the telegram");
            var vifResult = ReadValueInformation(data, ref p, recordStart);
            if (vifResult.Error is not null)
                return Partial(ci, header, records, p, vifResult.Error);
            var info = vifResult.Info;
            var headerBytes = data[recordStart..p].ToArray();

            int length = MbusDataField.Length(code);
            int dataStart = p;
            byte lvar = 0;
            if (length < 0)
            {
                if (p >= data.Length)
                    return Partial(ci, header, records, p, $"expected the LVAR byte of the variable-length record at offset {recordStart}, found the end of the telegram");
                lvar = data[p++];
                dataStart = p;
                length = lvar switch
                {
                    <= 0xBF => lvar,
                    >= 0xC0 and <= 0xC9 => lvar - 0xC0,
                    >= 0xD0 and <= 0xD9 => lvar - 0xD0,
                    >= 0xE0 and <= 0xEF => lvar - 0xE0,
                    >= 0xF0 and <= 0xF4 => 4 * (lvar - 0xEC),
                    _ => -1,
                };
                if (length < 0)
                    return Partial(ci, header, records, p - 1, $"expected an LVAR of 00–BF, C0–C9, D0–D9, E0–EF or F0–F4 (EN 13757-3 Table A.2), found {lvar:X2}");
            }
            if (p + length > data.Length)
                return Partial(ci, header, records, p, $"expected {length} data bytes for the record at offset {recordStart}, found {data.Length - p}");
            var field = data.Slice(dataStart, length);
            p = dataStart + length;

            var record = Interpret(recordStart, function, storage, tariff, subunit, info, vifResult, code, lvar, field, out string? error);
            if (error is not null)
                return Partial(ci, header, records, recordStart, error);
            records.Add(record! with { Header = headerBytes, Qualifiers = vifResult.Qualifiers });
        }
        return new MbusTelegram(ci, header, records, false, null, 0);
    }

    private static MbusTelegram Partial(byte ci, MbusTelegramHeader? header, List<MbusDataRecord> records, int offset, string reason) =>
        new(ci, header, records, false, $"offset {offset}: {reason}", offset);

    private static MbusDataRecord? Interpret(int offset, MbusFunction function, long storage, int tariff, int subunit,
        MbusValueInformation info, ValueInformationResult vif, int code, byte lvar, ReadOnlySpan<byte> field, out string? error)
    {
        error = null;
        var raw = field.ToArray();
        string quantity = vif.PlainTextUnit is null ? info.Quantity : "Plain text unit";
        string unit = vif.PlainTextUnit ?? info.Unit;
        MbusDataRecord Make(MbusValueKind kind, double value, string? text) =>
            new(offset, function, storage, tariff, subunit, quantity, unit, kind, value, text, raw);

        if (code is 0x0 or 0x8)
            return Make(MbusValueKind.Bytes, double.NaN, null);
        if (info.Meaning is MbusVifMeaning.TimePoint && code is not (0x5 or 0xD) && !MbusDataField.IsBcd(code))
        {
            string? text = MbusDataField.TimePoint(field);
            if (text is null)
            {
                error = $"expected a date/time of 2, 3, 4 or 6 bytes (types G, J, F, I) for the record at offset {offset}, found {field.Length}";
                return null;
            }
            return Make(MbusValueKind.DateTime, double.NaN, text);
        }
        if (code == 0xD)
        {
            if (lvar <= 0xBF)
                return Make(MbusValueKind.Text, double.NaN, MbusDataField.ReversedAscii(field));
            if (lvar is >= 0xC0 and <= 0xD9)
            {
                if (!MbusDataField.TryBcd(field, out long bcd))
                    return Make(MbusValueKind.Bytes, double.NaN, null);
                double sign = lvar >= 0xD0 ? -1 : 1;
                return Make(MbusValueKind.Numeric, sign * bcd * info.Scale * vif.Factor, null);
            }
            if (lvar is >= 0xE0 and <= 0xEF && field.Length <= 8 && field.Length > 0)
                return Make(MbusValueKind.Numeric, MbusDataField.SignedInteger(field) * info.Scale * vif.Factor, null);
            return Make(MbusValueKind.Bytes, double.NaN, null);
        }
        if (code == 0x5)
            return Make(MbusValueKind.Numeric, MbusDataField.Real(field) * info.Scale * vif.Factor, null);
        if (MbusDataField.IsBcd(code))
        {
            // A BCD field with hex digits (often all F: "no value") carries no number; keep the bytes, invent nothing.
            if (!MbusDataField.TryBcd(field, out long bcd))
                return Make(MbusValueKind.Bytes, double.NaN, null);
            return Make(MbusValueKind.Numeric, bcd * info.Scale * vif.Factor, null);
        }
        return Make(MbusValueKind.Numeric, MbusDataField.SignedInteger(field) * info.Scale * vif.Factor, null);
    }

    private readonly record struct ValueInformationResult(
        MbusValueInformation Info, double Factor, string? PlainTextUnit, bool ManufacturerSpecificExtension,
        IReadOnlyList<string> Qualifiers, string? Error);

    private static ValueInformationResult ReadValueInformation(ReadOnlySpan<byte> data, ref int p, int recordStart)
    {
        byte vif = data[p++];
        MbusValueInformation info;
        string? plainText = null;
        bool more = (vif & 0x80) != 0;
        int vifes = 0;
        var qualifiers = new List<string>();
        double factor = 1;
        bool manufacturerExtension = false;

        ValueInformationResult Fail(string error) => new(default, 1, null, false, [], error);

        if (vif is 0xFB or 0xFD)
        {
            if (p >= data.Length)
                return Fail($"expected the extension VIFE after VIF {vif:X2} of the record at offset {recordStart}, found the end of the telegram");
            byte vife = data[p++];
            vifes++;
            info = vif == 0xFD ? MbusVifTable.ExtensionFd(vife) : MbusVifTable.ExtensionFb(vife);
            more = (vife & 0x80) != 0;
        }
        else
        {
            info = MbusVifTable.Primary(vif);
            if ((vif & 0x7F) == 0x7C)
            {
                // Plain-text VIF (EN 13757-3 §6.4.2): a length byte and the unit in ASCII, last character first,
                // before any VIFEs.
                if (p >= data.Length)
                    return Fail($"expected the length of the plain-text VIF of the record at offset {recordStart}, found the end of the telegram");
                int textLength = data[p++];
                if (p + textLength > data.Length)
                    return Fail($"expected {textLength} characters of plain-text VIF for the record at offset {recordStart}, found {data.Length - p} bytes");
                plainText = MbusDataField.ReversedAscii(data.Slice(p, textLength));
                p += textLength;
            }
        }
        while (more)
        {
            if (p >= data.Length)
                return Fail($"expected VIFE {vifes + 1} of the record at offset {recordStart}, found the end of the telegram");
            if (vifes == MaxExtensions)
                return Fail($"expected at most {MaxExtensions} VIFEs (EN 13757-3 §6.4.3), found an eleventh");
            byte vife = data[p++];
            vifes++;
            more = (vife & 0x80) != 0;
            if (manufacturerExtension)
                continue;
            if ((vife & 0x7F) == 0x7F)
            {
                // E111 1111: the VIFEs that follow are manufacturer-specific (Table 15); the value is passed through.
                manufacturerExtension = true;
                qualifiers.Add("manufacturer-specific VIFE");
                continue;
            }
            var (description, f) = MbusVifTable.Combinable(vife);
            qualifiers.Add(description);
            factor *= f;
        }
        return new ValueInformationResult(info, factor, plainText, manufacturerExtension, qualifiers, null);
    }
}
