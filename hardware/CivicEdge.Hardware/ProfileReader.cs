using System.Globalization;
using System.Text.RegularExpressions;
using CivicEdge.Protocols.Modbus;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CivicEdge.Hardware;

/// <summary>
/// Reads one profile from YAML text into a <see cref="DeviceProfile"/>. It walks YamlDotNet's representation model
/// rather than deserializing into classes so that every problem can name its line and field, and it keeps going after
/// a problem so that one run reports all of them.
/// </summary>
internal sealed partial class ProfileReader
{
    private const int TableSize = 65536;
    private static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(10);

    private static readonly string[] ProfileFields = ["schema", "model", "manufacturer", "description", "protocol", "pollInterval", "maxSilence", "meterType", "identifierOrder", "points"];
    private static readonly string[] PointFields = ["name", "quantity", "table", "address", "type", "bits", "length", "order", "scale", "offset", "unit", "min", "max", "deadband", "maxSilence", "billing", "alarms", "writable", "description", "record", "storage", "tariff", "function", "subunit", "di", "field", "identifier", "format", "signed"];

    private const string StringType = "string";
    private const string BoolType = "bool";

    /// <summary>The most registers one read may ask for (Modbus Application Protocol V1.1b3 §6.3), so the longest text point.</summary>
    private const int MaxStringLength = 125;

    private static readonly (string Name, string Value)[] Protocols =
    [
        (ProfileProtocols.Modbus, ProfileProtocols.Modbus),
        (ProfileProtocols.MBus, ProfileProtocols.MBus),
        (ProfileProtocols.CjT188, ProfileProtocols.CjT188),
        (ProfileProtocols.Dlt645, ProfileProtocols.Dlt645),
        (ProfileProtocols.Dlt645V1997, ProfileProtocols.Dlt645V1997),
    ];

    private static readonly (string Name, RegisterTable Value)[] Tables =
    [
        ("input", RegisterTable.InputRegisters),
        ("holding", RegisterTable.HoldingRegisters),
        ("coil", RegisterTable.Coils),
        ("discrete", RegisterTable.DiscreteInputs),
    ];

    private static readonly (string Name, RegisterDataType Value)[] Types =
    [
        ("int16", RegisterDataType.Int16),
        ("uint16", RegisterDataType.UInt16),
        ("int32", RegisterDataType.Int32),
        ("uint32", RegisterDataType.UInt32),
        ("int64", RegisterDataType.Int64),
        ("float32", RegisterDataType.Float32),
        ("float64", RegisterDataType.Float64),
        ("bcd16", RegisterDataType.Bcd16),
        ("bcd32", RegisterDataType.Bcd32),
    ];

    private static readonly (string Name, RegisterOrder Value)[] Orders =
    [
        ("ABCD", RegisterOrder.ABCD),
        ("CDAB", RegisterOrder.CDAB),
        ("BADC", RegisterOrder.BADC),
        ("DCBA", RegisterOrder.DCBA),
    ];

    private readonly string _file;
    private readonly List<ProfileError> _errors;

    private ProfileReader(string file, List<ProfileError> errors)
    {
        _file = file;
        _errors = errors;
    }

    /// <summary>Reads a profile, adding every problem to <paramref name="errors"/>; null when there was any.</summary>
    public static ReadProfile? Read(string yaml, string file, List<ProfileError> errors)
    {
        var reader = new ProfileReader(file, errors);
        var before = errors.Count;
        var profile = reader.ReadDocument(yaml);
        return errors.Count == before ? profile : null;
    }

    private ReadProfile? ReadDocument(string yaml)
    {
        var stream = new YamlStream();
        var parser = new Parser(new StringReader(yaml));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            Add(e.Start.Line, "", $"not valid YAML: {e.Message}");
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner fails this way, without a position, on some unterminated flow collections.
            Add(parser.Current?.Start.Line ?? 1, "", "not valid YAML: the text cannot be read past this point (an unclosed [ or { is a common cause)");
            return null;
        }

        if (stream.Documents.Count == 0)
        {
            Add(1, "", $"the file holds no profile; expected a mapping that starts with 'schema: {ProfileLoader.SupportedSchema}'");
            return null;
        }
        if (stream.Documents.Count > 1)
        {
            Add(stream.Documents[1].RootNode.Start.Line, "", "expected one profile per file; found a second YAML document");
            return null;
        }
        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            var node = stream.Documents[0].RootNode;
            Add(node.Start.Line, "", $"expected a mapping of profile fields; found {Describe(node)}");
            return null;
        }

        if (!ReadSchema(root))
            return null;
        var fields = Fields(root, "", ProfileFields);

        var model = RequiredText(root, fields, "", "model", "a model key such as eastron-sdm630");
        if (model is not null && model.Any(char.IsWhiteSpace))
            Add(fields["model"].Start.Line, "model", $"expected a model key without spaces, such as eastron-sdm630; found '{model}'");
        var manufacturer = RequiredText(root, fields, "", "manufacturer", "the name of the device's maker");
        var description = OptionalText(fields, "", "description");
        var protocolText = RequiredText(root, fields, "", "protocol", ExpectedOneOf(Protocols));
        string? protocol = null;
        if (protocolText is not null && !TryChoose(protocolText, Protocols, out protocol))
            Add(fields["protocol"].Start.Line, "protocol", $"{ExpectedOneOf(Protocols)}; found '{protocolText}'");
        var pollInterval = ReadPollInterval(fields);
        var maxSilence = ReadMaxSilence(fields, "", pollInterval);
        var (meterType, identifierOrder) = ReadMeterSettings(root, fields, protocol);
        var points = ReadPoints(root, fields, pollInterval, maxSilence, protocol);

        if (model is null || manufacturer is null || protocol is null || points is null)
            return null;
        var profile = new DeviceProfile(ProfileLoader.SupportedSchema, model, manufacturer, description, protocol, pollInterval, points, _file)
        {
            MaxSilence = maxSilence,
            MeterType = meterType,
            IdentifierOrder = identifierOrder,
        };
        return new ReadProfile(profile, fields["model"].Start.Line);
    }

    /// <summary>
    /// Checks the schema field before anything else; false when the file declares a schema this reader does not know,
    /// since the rest of such a file may be fine by its own version's rules and so cannot be judged.
    /// </summary>
    private bool ReadSchema(YamlMappingNode root)
    {
        var node = Child(root, "schema");
        if (node is null)
        {
            Add(root.Start.Line, "schema", $"missing; expected '{ProfileLoader.SupportedSchema}' as the first field");
            return true;
        }
        if (!TryScalar(node, "schema", out var schema))
            return true;
        if (schema is null)
        {
            Add(node.Start.Line, "schema", $"expected '{ProfileLoader.SupportedSchema}'; found nothing");
            return true;
        }
        if (schema == ProfileLoader.SupportedSchema)
            return true;

        Add(node.Start.Line, "schema", $"unsupported schema; expected '{ProfileLoader.SupportedSchema}'; found '{schema}'");
        return false;
    }

    private TimeSpan ReadPollInterval(Dictionary<string, YamlNode> fields)
    {
        if (!fields.TryGetValue("pollInterval", out var node) || !TryScalar(node, "pollInterval", out var text) || text is null)
            return DefaultPollInterval;
        if (DurationText.TryParse(text, out var interval) && interval > TimeSpan.Zero)
            return interval;
        Add(node.Start.Line, "pollInterval", $"expected a positive duration: {DurationText.Expected}; found '{text}'");
        return DefaultPollInterval;
    }

    /// <summary>
    /// Reads a <c>maxSilence</c>: a positive duration no shorter than the poll interval, since a point is read no more
    /// often than that and so cannot be reported more often either.
    /// </summary>
    private TimeSpan? ReadMaxSilence(Dictionary<string, YamlNode> fields, string path, TimeSpan pollInterval)
    {
        var field = Join(path, "maxSilence");
        if (!fields.TryGetValue("maxSilence", out var node) || !TryScalar(node, field, out var text) || text is null)
            return null;
        if (!DurationText.TryParse(text, out var silence) || silence <= TimeSpan.Zero)
        {
            Add(node.Start.Line, field, $"expected a positive duration: {DurationText.Expected}; found '{text}'");
            return null;
        }
        if (silence < pollInterval)
        {
            Add(node.Start.Line, field, $"expected at least the poll interval ({DurationText.Format(pollInterval)}): the device is read no more often than that, so a point cannot be reported more often either; found '{text}'");
            return null;
        }
        return silence;
    }

    private List<PointDefinition>? ReadPoints(YamlMappingNode root, Dictionary<string, YamlNode> fields, TimeSpan pollInterval, TimeSpan? maxSilence, string? protocol)
    {
        if (!fields.TryGetValue("points", out var node))
        {
            Add(root.Start.Line, "points", "missing; expected a list of points");
            return null;
        }
        if (node is not YamlSequenceNode sequence)
        {
            Add(node.Start.Line, "points", $"expected a list of points; found {Describe(node)}");
            return null;
        }
        if (sequence.Children.Count == 0)
        {
            Add(node.Start.Line, "points", "expected at least one point; found an empty list");
            return null;
        }

        var points = new List<PointDefinition>();
        var located = new List<(PointDefinition Point, int Index, long AddressLine)>();
        var names = new Dictionary<string, (int Index, long Line)>(StringComparer.Ordinal);
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var item = sequence.Children[i];
            var path = $"points[{i}]";
            if (item is not YamlMappingNode pointNode)
            {
                Add(item.Start.Line, path, $"expected a mapping of point fields; found {Describe(item)}");
                continue;
            }
            var point = ReadPoint(pointNode, path, names, i, pollInterval, maxSilence, protocol);
            if (point is null)
                continue;
            points.Add(point);
            if (!point.IsMeterPoint)
                located.Add((point, i, LineOf(pointNode, "address")));
        }

        CheckOverlaps(located);
        return points;
    }

    private PointDefinition? ReadPoint(
        YamlMappingNode node, string path, Dictionary<string, (int Index, long Line)> names, int index, TimeSpan pollInterval, TimeSpan? profileMaxSilence,
        string? protocol)
    {
        var fields = Fields(node, path, PointFields);
        var isMeter = protocol is not null && protocol != ProfileProtocols.Modbus;
        var errorsBefore = _errors.Count;

        var name = RequiredText(node, fields, path, "name", "a snake_case name such as voltage_l1");
        if (name is not null)
        {
            var line = fields["name"].Start.Line;
            if (!SnakeCase().IsMatch(name))
                Add(line, $"{path}.name", $"expected a snake_case name (lower-case letters, digits and single underscores, starting with a letter) such as voltage_l1; found '{name}'");
            else if (names.TryGetValue(name, out var first))
                Add(line, $"{path}.name", $"duplicate point name '{name}'; first used by points[{first.Index}] on line {first.Line}");
            else
                names.Add(name, (index, line));
        }

        var quantity = OptionalText(fields, path, "quantity");
        if (isMeter)
            return ReadMeterPoint(node, fields, path, name, quantity, protocol!, pollInterval, profileMaxSilence, errorsBefore);
        if (protocol is not null)
            NotForModbus(fields, path);
        var table = RequiredChoice(node, fields, path, "table", Tables);
        var kind = ReadType(node, fields, path, table);
        var order = OptionalChoice(fields, path, "order", Orders, RegisterOrder.ABCD);
        var bits = ReadBits(fields, path, kind);
        var length = ReadLength(node, fields, path, kind);
        if (kind?.IsText == true && order is not (RegisterOrder.ABCD or RegisterOrder.BADC))
            Add(fields["order"].Start.Line, $"{path}.order", $"a string is read register by register; expected ABCD (first character in the high byte) or BADC (in the low byte); found '{Name(Orders, order)}'");
        var width = kind is null ? (int?)null : kind.Value.IsBit ? 1 : length ?? RegisterValueCodec.RegisterCount(kind.Value.Type);
        var address = ReadAddress(node, fields, path, kind, width);

        var numeric = kind?.IsText != true;
        if (!numeric)
            NotForText(fields, path, ["scale", "offset", "min", "max", "deadband", "maxSilence", "billing", "alarms"]);
        var scale = OptionalNumber(fields, path, "scale", 1.0);
        if (scale == 0)
            Add(fields["scale"].Start.Line, $"{path}.scale", "expected a non-zero scale (value = raw × scale + offset); found '0'");
        var offset = OptionalNumber(fields, path, "offset", 0.0);
        var unit = numeric
            ? RequiredText(node, fields, path, "unit", "a unit symbol such as V, A, W, kWh, Hz or 1 for a dimensionless quantity")
            : OptionalText(fields, path, "unit") ?? "";
        var min = OptionalNumber(fields, path, "min", null);
        var max = OptionalNumber(fields, path, "max", null);
        if (min is not null && max is not null && !(min < max))
            Add(fields["max"].Start.Line, $"{path}.max", $"expected a value greater than min ({Invariant(min.Value)}); found '{Invariant(max.Value)}'");

        var deadband = numeric ? ReadDeadband(fields, path, min, max, unit) : 0;
        var maxSilence = numeric ? ReadMaxSilence(fields, path, pollInterval) ?? profileMaxSilence : null;
        var billing = numeric && OptionalBoolean(fields, path, "billing");
        if (billing && (kind?.IsBit == true || bits is not null))
            Add(fields["billing"].Start.Line, $"{path}.billing", "a billing register holds a total (energy, volume, heat); expected a register value, not a bit, or billing: false");
        var alarms = numeric ? ReadAlarms(fields, path, min, max, unit) : [];

        var writable = OptionalBoolean(fields, path, "writable");
        if (writable && table is RegisterTable.InputRegisters or RegisterTable.DiscreteInputs)
            Add(fields["writable"].Start.Line, $"{path}.writable", table == RegisterTable.InputRegisters
                ? "input registers are read-only (Modbus Application Protocol §4.3); expected table: holding for a writable point, or writable: false"
                : "discrete inputs are read-only (Modbus Application Protocol §4.3); expected table: coil for a writable point, or writable: false");
        var description = OptionalText(fields, path, "description");

        if (_errors.Count != errorsBefore || name is null || table is null || kind is null || address is null || unit is null)
            return null;
        return new PointDefinition(name, quantity, table.Value, address.Value, kind.Value.Type, order, scale ?? 1.0, offset ?? 0.0, unit, min, max, writable, description)
        {
            Bits = bits,
            Length = length,
            Deadband = deadband,
            MaxSilence = maxSilence,
            Billing = billing,
            Alarms = alarms,
        };
    }

    /// <summary>
    /// Reads the point's type: a register type, <c>string</c> (stored as <see cref="RegisterDataType.UInt16"/> words with
    /// a length), or <c>bool</c> for coils and discrete inputs, where it is the default.
    /// </summary>
    private PointKind? ReadType(YamlMappingNode node, Dictionary<string, YamlNode> fields, string path, RegisterTable? table)
    {
        var field = $"{path}.type";
        var isBitTable = table is RegisterTable.Coils or RegisterTable.DiscreteInputs;
        var expected = $"{ExpectedOneOf(Types)}, {StringType}, {BoolType}";
        if (!fields.TryGetValue("type", out var typeNode))
        {
            if (isBitTable)
                return new PointKind(RegisterDataType.UInt16, IsBit: true, IsText: false);
            Add(node.Start.Line, field, $"missing; {expected}");
            return null;
        }
        if (!TryScalar(typeNode, field, out var text))
            return null;
        if (string.IsNullOrWhiteSpace(text))
        {
            Add(typeNode.Start.Line, field, $"{expected}; found nothing");
            return null;
        }

        var line = typeNode.Start.Line;
        if (string.Equals(text, BoolType, StringComparison.OrdinalIgnoreCase))
        {
            if (isBitTable || table is null)
                return new PointKind(RegisterDataType.UInt16, IsBit: true, IsText: false);
            Add(line, field, "bool is for coil and discrete points; expected a register type, or uint16 with bits: N for one bit of a register");
            return null;
        }
        if (isBitTable)
        {
            Add(line, field, $"{Name(Tables, table!.Value)} points are single bits; expected {BoolType} or no type; found '{text}'");
            return null;
        }
        if (string.Equals(text, StringType, StringComparison.OrdinalIgnoreCase))
            return new PointKind(RegisterDataType.UInt16, IsBit: false, IsText: true);
        if (TryChoose(text, Types, out var type))
            return new PointKind(type, IsBit: false, IsText: false);
        Add(line, field, $"{expected}; found '{text}'");
        return null;
    }

    /// <summary>Reads <c>bits: 3</c> or <c>bits: 4-7</c>, which only a <c>uint16</c> point may have.</summary>
    private BitField? ReadBits(Dictionary<string, YamlNode> fields, string path, PointKind? kind)
    {
        var field = $"{path}.bits";
        if (!fields.TryGetValue("bits", out var node) || !TryScalar(node, field, out var text) || text is null)
            return null;
        if (kind is { } known && (known.IsBit || known.IsText || known.Type != RegisterDataType.UInt16))
        {
            Add(node.Start.Line, field, "a bit field is part of one register; expected type: uint16 with bits");
            return null;
        }

        const string Expected = "expected a bit 0..15 (bits: 3) or a range of bits, lowest first (bits: 4-7)";
        var parts = text.Split('-');
        if (parts.Length is 1 or 2
            && int.TryParse(parts[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var first)
            && int.TryParse(parts[^1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var last)
            && first <= last && last <= 15)
        {
            return new BitField(first, last - first + 1);
        }
        Add(node.Start.Line, field, $"{Expected}; found '{text}'");
        return null;
    }

    /// <summary>Reads the length in registers that a <c>string</c> point needs and no other point may have.</summary>
    private int? ReadLength(YamlMappingNode node, Dictionary<string, YamlNode> fields, string path, PointKind? kind)
    {
        var field = $"{path}.length";
        var expected = $"expected the length of the text in registers (two characters each), 1..{MaxStringLength}";
        var present = fields.TryGetValue("length", out var lengthNode);
        string? text = null;
        if (present && (!TryScalar(lengthNode!, field, out text) || text is null))
            present = false;
        if (kind?.IsText != true)
        {
            if (present && kind is not null)
                Add(lengthNode!.Start.Line, field, "only a string point has a length; the type fixes the size of a number");
            return null;
        }
        if (!present)
        {
            Add(node.Start.Line, field, $"missing; a string point needs one: {expected}");
            return null;
        }
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var length) && length is >= 1 and <= MaxStringLength)
            return length;
        Add(lengthNode!.Start.Line, field, $"{expected}; found '{text}'");
        return null;
    }

    private void NotForText(Dictionary<string, YamlNode> fields, string path, string[] keys)
    {
        foreach (var key in keys)
        {
            if (fields.TryGetValue(key, out var node))
                Add(node.Start.Line, $"{path}.{key}", "applies only to numbers; a string point is text (leave it out)");
        }
    }

    private ushort? ReadAddress(YamlMappingNode node, Dictionary<string, YamlNode> fields, string path, PointKind? kind, int? width)
    {
        var field = $"{path}.address";
        const string Expected = "expected a zero-based protocol address 0..65535, decimal or hex (0x0000..0xFFFF)";
        if (!fields.TryGetValue("address", out var valueNode))
        {
            Add(node.Start.Line, field, $"missing; {Expected}");
            return null;
        }
        if (!TryScalar(valueNode, field, out var text))
            return null;

        if (!TryParseAddress(text, out var address))
        {
            Add(valueNode.Start.Line, field, $"{Expected}; found '{text}'");
            return null;
        }

        if (kind is { } known && width is { } count && address + count > TableSize)
        {
            var what = known.IsText ? $"a string of {count} registers" : $"a {Name(Types, known.Type)} point";
            Add(valueNode.Start.Line, field, $"{what} needs {count} registers, so its address must be at most 0x{TableSize - count:X4}; found '{text}'");
            return null;
        }
        return (ushort)address;
    }

    private static bool TryParseAddress(string? text, out int address)
    {
        address = 0;
        if (text is null)
            return false;
        var parsed = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? int.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out address)
            : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out address);
        return parsed && address is >= 0 and < TableSize;
    }

    private void CheckOverlaps(List<(PointDefinition Point, int Index, long AddressLine)> points)
    {
        // Two points sharing a register is almost always a copy-paste slip in the address column; the exception is bit
        // fields, several of which may share one status register as long as their bits do not overlap.
        foreach (var group in points.GroupBy(p => p.Point.Table))
        {
            var ordered = group.OrderBy(p => p.Point.Address).ThenBy(p => p.Index).ToList();
            for (var i = 1; i < ordered.Count; i++)
            {
                var earlier = ordered[i - 1];
                var later = ordered[i];
                if (earlier.Point.Address + Width(earlier.Point) <= later.Point.Address || DisjointBitFields(earlier.Point, later.Point))
                    continue;
                var (first, second) = earlier.Index < later.Index ? (earlier, later) : (later, earlier);
                Add(second.AddressLine, $"points[{second.Index}].address",
                    $"registers {Span(second.Point)} overlap those of '{first.Point.Name}' (points[{first.Index}], {Span(first.Point)}) in the {Name(Tables, first.Point.Table)} table; expected each register to belong to one point");
            }
        }
    }

    private Dictionary<string, YamlNode> Fields(YamlMappingNode map, string path, string[] known)
    {
        var fields = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in map.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { Length: > 0 } key })
            {
                Add(keyNode.Start.Line, path, $"expected a field name; found {Describe(keyNode)}");
                continue;
            }
            if (Array.IndexOf(known, key) < 0)
            {
                var suggestion = Suggest(key, known);
                var hint = suggestion is null ? $"expected one of {string.Join(", ", known)}" : $"did you mean '{suggestion}'?";
                Add(keyNode.Start.Line, Join(path, key), $"unknown field; {hint}");
                continue;
            }
            fields[key] = value;
        }
        return fields;
    }

    private string? RequiredText(YamlMappingNode owner, Dictionary<string, YamlNode> fields, string path, string key, string expected)
    {
        var field = Join(path, key);
        if (!fields.TryGetValue(key, out var node))
        {
            Add(owner.Start.Line, field, $"missing; expected {expected}");
            return null;
        }
        if (!TryScalar(node, field, out var text))
            return null;
        if (string.IsNullOrWhiteSpace(text))
        {
            Add(node.Start.Line, field, $"expected {expected}; found nothing");
            return null;
        }
        return text;
    }

    private string? OptionalText(Dictionary<string, YamlNode> fields, string path, string key) =>
        fields.TryGetValue(key, out var node) && TryScalar(node, Join(path, key), out var text) && !string.IsNullOrWhiteSpace(text)
            ? text
            : null;

    private T? RequiredChoice<T>(YamlMappingNode owner, Dictionary<string, YamlNode> fields, string path, string key, (string Name, T Value)[] options)
        where T : struct
    {
        var text = RequiredText(owner, fields, path, key, $"one of {string.Join(", ", options.Select(o => o.Name))}");
        if (text is null)
            return null;
        if (TryChoose(text, options, out var value))
            return value;
        Add(fields[key].Start.Line, Join(path, key), $"{ExpectedOneOf(options)}; found '{text}'");
        return null;
    }

    private T OptionalChoice<T>(Dictionary<string, YamlNode> fields, string path, string key, (string Name, T Value)[] options, T fallback)
    {
        var field = Join(path, key);
        if (!fields.TryGetValue(key, out var node) || !TryScalar(node, field, out var text) || text is null)
            return fallback;
        if (TryChoose(text, options, out var value))
            return value;
        Add(node.Start.Line, field, $"{ExpectedOneOf(options)}; found '{text}'");
        return fallback;
    }

    private double? OptionalNumber(Dictionary<string, YamlNode> fields, string path, string key, double? fallback)
    {
        var field = Join(path, key);
        if (!fields.TryGetValue(key, out var node) || !TryScalar(node, field, out var text) || text is null)
            return fallback;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
            return value;
        Add(node.Start.Line, field, $"expected a finite decimal number such as 0.1 or 1e-3; found '{text}'");
        return fallback;
    }

    private bool OptionalBoolean(Dictionary<string, YamlNode> fields, string path, string key)
    {
        var field = Join(path, key);
        if (!fields.TryGetValue(key, out var node) || !TryScalar(node, field, out var text) || text is null)
            return false;
        if (bool.TryParse(text, out var value))
            return value;
        Add(node.Start.Line, field, $"expected true or false; found '{text}'");
        return false;
    }

    /// <summary>Gets a scalar's text (null for YAML null), or reports that a list or mapping stands where a value belongs.</summary>
    private bool TryScalar(YamlNode node, string field, out string? text)
    {
        text = null;
        if (node is not YamlScalarNode scalar)
        {
            Add(node.Start.Line, field, $"expected a single value; found {Describe(node)}");
            return false;
        }
        // YAML 1.2 core schema: an empty plain scalar, ~ and null (in any of its three spellings) are null.
        var isNull = scalar.Style == ScalarStyle.Plain && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";
        text = isNull ? null : scalar.Value;
        return true;
    }

    private void Add(long line, string field, string message) =>
        _errors.Add(new ProfileError(_file, (int)Math.Clamp(line, 1, int.MaxValue), field, message));

    private static long LineOf(YamlMappingNode map, string key) => Child(map, key)?.Start.Line ?? map.Start.Line;

    /// <summary>The value of <paramref name="key"/> in <paramref name="map"/>, or null.</summary>
    private static YamlNode? Child(YamlMappingNode map, string key)
    {
        foreach (var (keyNode, value) in map.Children)
        {
            if (keyNode is YamlScalarNode { Value: { } name } && name == key)
                return value;
        }
        return null;
    }

    private static bool TryChoose<T>(string text, (string Name, T Value)[] options, out T value)
    {
        foreach (var option in options)
        {
            if (string.Equals(option.Name, text, StringComparison.OrdinalIgnoreCase))
            {
                value = option.Value;
                return true;
            }
        }
        value = default!;
        return false;
    }

    private static string ExpectedOneOf<T>((string Name, T Value)[] options) =>
        $"expected one of {string.Join(", ", options.Select(o => o.Name))}";

    private static string Name<T>((string Name, T Value)[] options, T value) =>
        options.First(o => EqualityComparer<T>.Default.Equals(o.Value, value)).Name;

    private static string Span(PointDefinition point) =>
        $"0x{point.Address:X4}..0x{point.Address + Width(point) - 1:X4}{(point.Bits is { } bits ? $" bits {bits}" : "")}";

    private static int Width(PointDefinition point) =>
        point.Table is RegisterTable.Coils or RegisterTable.DiscreteInputs ? 1 : point.Length ?? RegisterValueCodec.RegisterCount(point.Type);

    private static bool DisjointBitFields(PointDefinition a, PointDefinition b) =>
        a.Bits is { } x && b.Bits is { } y && a.Address == b.Address && (x.Last < y.First || y.Last < x.First);

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    private static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode { Value: { Length: > 0 } text } => $"'{text}'",
        _ => "nothing",
    };

    /// <summary>The known field closest to a misspelt one, if it is close enough to be the one meant.</summary>
    private static string? Suggest(string key, string[] known)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in known)
        {
            var distance = string.Equals(candidate, key, StringComparison.OrdinalIgnoreCase) ? 0 : EditDistance(key, candidate);
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        return bestDistance <= Math.Max(1, key.Length / 3) ? best : null;
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
            previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }

    [GeneratedRegex("^[a-z][a-z0-9]*(_[a-z0-9]+)*$")]
    private static partial Regex SnakeCase();
}
