using System.Globalization;
using CivicEdge.Protocols.MBus;
using CivicEdge.Protocols.Meters.CjT188;
using CivicEdge.Protocols.Meters.Dlt645;
using CivicEdge.Protocols.Modbus;
using YamlDotNet.RepresentationModel;

namespace CivicEdge.Hardware;

/// <summary>The fields of meter-protocol profiles: M-Bus record selectors, CJ/T 188 fields, DL/T 645 data items.</summary>
internal sealed partial class ProfileReader
{
    private static readonly string[] ModbusOnlyFields = ["table", "address", "type", "bits", "length", "order"];
    private static readonly string[] MbusFields = ["record", "storage", "tariff", "function", "subunit"];
    private static readonly string[] CjT188Fields = ["di", "field"];
    private static readonly string[] Dlt645Fields = ["identifier", "format", "signed"];

    /// <summary>The quantities of EN 13757-3 Table 10 and Table 14 that a profile may select, as the decoder names them.</summary>
    private static readonly string[] MbusQuantities =
    [
        "Energy", "Volume", "Mass", "On time", "Operating time", "Power", "Volume flow", "Mass flow", "Flow temperature",
        "Return temperature", "Temperature difference", "External temperature", "Pressure", "Averaging duration",
        "Actuality duration", "Fabrication number", "Error flags", "Digital input", "Digital output", "Voltage", "Current",
        "Relative humidity", "Units for H.C.A.", "Cumulation counter", "Reset counter",
    ];

    private static readonly (string Name, MbusFunction Value)[] MbusFunctions =
    [
        ("instantaneous", MbusFunction.Instantaneous),
        ("maximum", MbusFunction.Maximum),
        ("minimum", MbusFunction.Minimum),
        ("error", MbusFunction.ValueDuringError),
    ];

    private static readonly (string Name, CjT188Field Value)[] CjT188FieldNames =
    [
        ("current_flow", CjT188Field.CurrentFlow),
        ("settlement_flow", CjT188Field.SettlementFlow),
        ("valve", CjT188Field.Valve),
        ("battery_low", CjT188Field.BatteryLow),
        ("st0", CjT188Field.Status0),
        ("st1", CjT188Field.Status1),
    ];

    private static readonly (string Name, CjT188MeterType Value)[] MeterTypes =
    [
        ("cold-water", CjT188MeterType.ColdWater),
        ("hot-water", CjT188MeterType.HotWater),
        ("drinking-water", CjT188MeterType.DrinkingWater),
        ("reclaimed-water", CjT188MeterType.ReclaimedWater),
        ("gas", CjT188MeterType.Gas),
    ];

    private static readonly (string Name, CjT188IdentifierOrder Value)[] IdentifierOrders =
    [
        ("high-byte-first", CjT188IdentifierOrder.HighByteFirst),
        ("low-byte-first", CjT188IdentifierOrder.LowByteFirst),
    ];

    /// <summary>
    /// Reads <c>meterType</c> and <c>identifierOrder</c>, which a CJ/T 188 profile needs (the DI byte order differs between
    /// vendors, so it is stated, never guessed) and no other profile may have.
    /// </summary>
    private (CjT188MeterType?, CjT188IdentifierOrder?) ReadMeterSettings(YamlMappingNode root, Dictionary<string, YamlNode> fields, string? protocol)
    {
        if (protocol != ProfileProtocols.CjT188)
        {
            foreach (var key in new[] { "meterType", "identifierOrder" })
            {
                if (protocol is not null && fields.TryGetValue(key, out var node))
                    Add(node.Start.Line, key, $"applies only to protocol: {ProfileProtocols.CjT188}; leave it out of a {protocol} profile");
            }
            return (null, null);
        }

        // CJ/T 188-2004 Table 2: only water and gas meters answer 901FH with the layout the gateway decodes (Table 4).
        var meterType = RequiredChoice(root, fields, "", "meterType", MeterTypes);
        var order = RequiredChoice(root, fields, "", "identifierOrder", IdentifierOrders);
        return (meterType, order);
    }

    private PointDefinition? ReadMeterPoint(
        YamlMappingNode node, Dictionary<string, YamlNode> fields, string path, string? name, string? quantity, string protocol,
        TimeSpan pollInterval, TimeSpan? profileMaxSilence, int errorsBefore)
    {
        var own = protocol == ProfileProtocols.MBus ? MbusFields : protocol == ProfileProtocols.CjT188 ? CjT188Fields : Dlt645Fields;
        foreach (var key in ModbusOnlyFields.Concat(MbusFields).Concat(CjT188Fields).Concat(Dlt645Fields).Except(own))
        {
            if (fields.TryGetValue(key, out var stray))
                Add(stray.Start.Line, $"{path}.{key}", $"a {protocol} point is located by {string.Join(", ", own)}; '{key}' does not apply (leave it out)");
        }

        MbusRecordSelector? record = null;
        CjT188Field? field = null;
        Dlt645DataItem? item = null;
        var unit = RequiredText(node, fields, path, "unit", "a unit symbol such as kWh, m3, W, V, A, Cel or 1 for a dimensionless quantity");
        switch (protocol)
        {
            case ProfileProtocols.MBus:
                record = ReadMbusRecord(node, fields, path);
                break;
            case ProfileProtocols.CjT188:
                field = ReadCjT188Field(node, fields, path);
                break;
            default:
                item = ReadDlt645Item(node, fields, path, name, unit, protocol == ProfileProtocols.Dlt645V1997);
                break;
        }

        if (unit is not null && MeterUnits.DimensionOf(unit) is null)
            Add(fields["unit"].Start.Line, $"{path}.unit", $"expected a unit the gateway converts meter values to (e.g. Wh, kWh, MWh, GJ, m3, L, W, kW, m3/h, L/h, Cel, K, V, A, Hz, h, 1); found '{unit}'");
        else if (unit is not null && item is not null && !MeterUnits.AreCompatible(item.Unit, unit))
            Add(fields["unit"].Start.Line, $"{path}.unit", $"data item {item.Identifier:X} is in {item.Unit}; expected a unit of the same kind; found '{unit}'");
        else if (unit is not null && field is CjT188Field.CurrentFlow or CjT188Field.SettlementFlow && MeterUnits.DimensionOf(unit) is not ("volume" or "energy"))
            Add(fields["unit"].Start.Line, $"{path}.unit", $"a cumulative flow is a volume (or heat); expected a unit such as m3 or L; found '{unit}'");

        var scale = OptionalNumber(fields, path, "scale", 1.0);
        if (scale == 0)
            Add(fields["scale"].Start.Line, $"{path}.scale", "expected a non-zero scale (value = meter value × scale + offset); found '0'");
        var offset = OptionalNumber(fields, path, "offset", 0.0);
        var min = OptionalNumber(fields, path, "min", null);
        var max = OptionalNumber(fields, path, "max", null);
        if (min is not null && max is not null && !(min < max))
            Add(fields["max"].Start.Line, $"{path}.max", $"expected a value greater than min ({Invariant(min.Value)}); found '{Invariant(max.Value)}'");
        var deadband = unit is null ? 0 : ReadDeadband(fields, path, min, max, unit);
        var maxSilence = ReadMaxSilence(fields, path, pollInterval) ?? profileMaxSilence;
        var billing = OptionalBoolean(fields, path, "billing");
        if (billing && field is CjT188Field.Valve or CjT188Field.BatteryLow or CjT188Field.Status0 or CjT188Field.Status1)
            Add(fields["billing"].Start.Line, $"{path}.billing", "a billing register holds a total (energy, volume, heat); expected current_flow or settlement_flow, or billing: false");
        var alarms = unit is null ? [] : ReadAlarms(fields, path, min, max, unit);
        if (OptionalBoolean(fields, path, "writable"))
            Add(fields["writable"].Start.Line, $"{path}.writable", "meter points are read by polls only; expected writable: false");
        var description = OptionalText(fields, path, "description");

        if (_errors.Count != errorsBefore || name is null || unit is null || (record is null && field is null && item is null))
            return null;
        // Table, address, type and order locate Modbus registers; a meter point is located by its selector instead.
        return new PointDefinition(name, quantity, RegisterTable.InputRegisters, 0, RegisterDataType.Float64, RegisterOrder.ABCD, scale ?? 1.0, offset ?? 0.0, unit, min, max, false, description)
        {
            Deadband = deadband,
            MaxSilence = maxSilence,
            Billing = billing,
            Alarms = alarms,
            MbusRecord = record,
            CjT188Field = field,
            Dlt645Item = item,
        };
    }

    /// <summary>Modbus points may not carry a meter protocol's selector fields.</summary>
    private void NotForModbus(Dictionary<string, YamlNode> fields, string path)
    {
        foreach (var key in MbusFields.Concat(CjT188Fields).Concat(Dlt645Fields))
        {
            if (fields.TryGetValue(key, out var node))
                Add(node.Start.Line, $"{path}.{key}", $"applies to meter protocols (mbus, cjt188, dlt645); a {ProfileProtocols.Modbus} point is located by table and address");
        }
    }

    private MbusRecordSelector? ReadMbusRecord(YamlMappingNode node, Dictionary<string, YamlNode> fields, string path)
    {
        var expected = $"one of the EN 13757-3 quantities {string.Join(", ", MbusQuantities)}";
        var text = RequiredText(node, fields, path, "record", expected);
        string? quantity = null;
        if (text is not null)
        {
            quantity = MbusQuantities.FirstOrDefault(q => string.Equals(q, text.Trim(), StringComparison.OrdinalIgnoreCase));
            if (quantity is null)
                Add(fields["record"].Start.Line, $"{path}.record", $"expected {expected}; found '{text}'");
        }

        // EN 13757-3 §6.3: storage number up to 41 bits with DIFEs, tariff up to 20 bits, subunit up to 10 bits.
        var storage = OptionalInteger(fields, path, "storage", 0, (1L << 41) - 1);
        var tariff = OptionalInteger(fields, path, "tariff", 0, (1 << 20) - 1);
        var subunit = OptionalInteger(fields, path, "subunit", 0, (1 << 10) - 1);
        var function = OptionalChoice(fields, path, "function", MbusFunctions, MbusFunction.Instantaneous);
        return quantity is null ? null : new MbusRecordSelector(quantity, storage, (int)tariff, function, (int)subunit);
    }

    private CjT188Field? ReadCjT188Field(YamlMappingNode node, Dictionary<string, YamlNode> fields, string path)
    {
        if (fields.TryGetValue("di", out var diNode) && TryScalar(diNode, $"{path}.di", out var diText) && diText is not null
            && !(TryParseHex(diText, 4, out var di) && di == CjT188DataIdentifier.MeterData))
        {
            Add(diNode.Start.Line, $"{path}.di", $"polls read meter data, DI 901F (CJ/T 188-2004 Table 4); expected 0x901F or no di; found '{diText}'");
        }
        return RequiredChoice(node, fields, path, "field", CjT188FieldNames);
    }

    private Dlt645DataItem? ReadDlt645Item(YamlMappingNode node, Dictionary<string, YamlNode> fields, string path, string? name, string? unit, bool is1997)
    {
        var digits = is1997 ? 4 : 8;
        var expected = is1997
            ? "a DL/T 645-1997 data identifier DI1 DI0 as printed, e.g. 0x9010"
            : "a DL/T 645-2007 data identifier DI3 DI2 DI1 DI0 as printed, e.g. 0x00010000 or '00 01 00 00'";
        var text = RequiredText(node, fields, path, "identifier", expected);
        if (text is null)
            return null;
        if (!TryParseHex(text, digits, out var identifier))
        {
            Add(fields["identifier"].Start.Line, $"{path}.identifier", $"expected {expected}; found '{text}'");
            return null;
        }

        Dlt645DataItem? catalogued = is1997
            ? Dlt645DataCatalog.TryFind1997((ushort)identifier, out var old) ? old : null
            : Dlt645DataCatalog.TryFind2007(identifier, out var item) ? item : null;
        var signedNode = fields.GetValueOrDefault("signed");
        var signed = signedNode is null ? catalogued?.Signed ?? false : OptionalBoolean(fields, path, "signed");
        if (!fields.TryGetValue("format", out var formatNode) || !TryScalar(formatNode, $"{path}.format", out var format) || format is null)
        {
            if (catalogued is not null)
                return catalogued with { Signed = signed };
            Add(fields["identifier"].Start.Line, $"{path}.identifier", $"{identifier:X} is not in the gateway's catalogue of formats; expected a format such as XXXXXX.XX beside it");
            return null;
        }

        // DL/T 645-2007 Appendix A writes a format as BCD digits with the decimal point, e.g. XXXXXX.XX: 4 bytes, 2 decimals.
        var point = format.IndexOf('.', StringComparison.Ordinal);
        var whole = point < 0 ? format : format[..point];
        var fraction = point < 0 ? "" : format[(point + 1)..];
        if (!(whole + fraction).All(c => c is 'X' or 'x') || (whole.Length + fraction.Length) % 2 != 0 || whole.Length + fraction.Length is 0 or > 16)
        {
            Add(formatNode.Start.Line, $"{path}.format", $"expected BCD digits as X with an optional decimal point, an even number of them (whole bytes), e.g. XXXXXX.XX or XXX.X; found '{format}'");
            return null;
        }
        return new Dlt645DataItem(identifier, catalogued?.Quantity ?? name ?? $"{identifier:X}", catalogued?.Unit ?? unit ?? "", (whole.Length + fraction.Length) / 2, fraction.Length, signed);
    }

    private long OptionalInteger(Dictionary<string, YamlNode> fields, string path, string key, long min, long max)
    {
        var field = Join(path, key);
        if (!fields.TryGetValue(key, out var node) || !TryScalar(node, field, out var text) || text is null)
            return min;
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
            return value;
        Add(node.Start.Line, field, $"expected a whole number {min}..{max}; found '{text}'");
        return min;
    }

    /// <summary>Parses hex digits as printed, with or without 0x and with spaces between bytes, exactly <paramref name="digits"/> of them.</summary>
    private static bool TryParseHex(string text, int digits, out uint value)
    {
        var compact = text.Trim().Replace(" ", "", StringComparison.Ordinal);
        if (compact.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            compact = compact[2..];
        value = 0;
        return compact.Length == digits && uint.TryParse(compact, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }
}
