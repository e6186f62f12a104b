using System.Globalization;
using CivicEdge.Hardware;
using CivicEdge.Rules.Language;
using CivicEdge.Rules.Scheduling;
using CivicEdge.Solar;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CivicEdge.Rules.Documents;

/// <summary>
/// Reads one rule set by walking YamlDotNet's representation model, so that every problem can name its line, column and
/// field, and keeps going after a problem so that one run reports all of them.
/// </summary>
internal sealed class RuleSetReader : IExpressionScope
{
    private const string VirtualDevice = RuleSetLoader.VirtualDevice;

    private static readonly string[] TopFields = ["schema", "id", "version", "description", "devices", "virtual", "rules"];
    private static readonly string[] DeviceFields = ["model", "id", "staleAfter"];
    private static readonly string[] RuleFields = ["id", "description", "trigger", "when", "for", "clearFor", "hysteresis", "deadband", "then", "else"];
    private static readonly string[] TriggerFields = ["cron", "sun", "offset"];
    private static readonly string[] ActionKinds = ["raise", "clear", "write", "publish", "set"];

    private static readonly (string Name, AlarmSeverity Value)[] Severities =
        [("info", AlarmSeverity.Info), ("warning", AlarmSeverity.Warning), ("major", AlarmSeverity.Major), ("critical", AlarmSeverity.Critical)];

    private static readonly (string Name, SunEvent Value)[] SunEvents =
        [("sunrise", SunEvent.Sunrise), ("sunset", SunEvent.Sunset), ("dawn", SunEvent.CivilDawn), ("dusk", SunEvent.CivilDusk)];

    private readonly string _file;
    private readonly IPointCatalog _catalog;
    private readonly List<RuleError> _errors;
    private readonly Dictionary<string, RuleDevice> _devices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, VirtualPoint> _virtual = new(StringComparer.Ordinal);

    private RuleSetReader(string file, IPointCatalog catalog, List<RuleError> errors)
    {
        _file = file;
        _catalog = catalog;
        _errors = errors;
    }

    public static RuleSet? Read(string yaml, string file, IPointCatalog catalog, List<RuleError> errors) =>
        new RuleSetReader(file, catalog, errors).ReadDocument(yaml);

    public string? CheckDevice(string device)
    {
        if (device == VirtualDevice || _devices.ContainsKey(device))
            return null;
        var known = _devices.Count == 0 ? "the rule set declares no devices" : $"declared: {string.Join(", ", _devices.Keys)}";
        return $"expected a device declared under 'devices'; found '{device}' ({known})";
    }

    public string? CheckPoint(string device, string point)
    {
        if (device == VirtualDevice)
        {
            return _virtual.ContainsKey(point) ? null
                : $"expected a virtual point declared under 'virtual'; found '{point}' (declared: {(_virtual.Count == 0 ? "none" : string.Join(", ", _virtual.Keys))})";
        }
        var model = _devices[device].Model;
        var points = _catalog.PointsOf(model);
        if (points is null)
            return null; // the unknown model is reported once, at the device
        var found = points.FirstOrDefault(p => p.Name == point);
        if (found is null)
            return $"expected a point of model {model}; found '{point}' (points: {string.Join(", ", points.Where(p => p.Numeric).Select(p => p.Name))})";
        return found.Numeric ? null : $"expected a point with a numeric value; found '{point}', which is text";
    }

    private RuleSet? ReadDocument(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            Add(e.Start, "", $"not valid YAML: {e.Message}");
            return null;
        }
        catch (InvalidOperationException)
        {
            Add(1, 1, "", "not valid YAML: the text cannot be read to its end (an unclosed [ or { is a common cause)");
            return null;
        }
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            Add(1, 1, "", $"expected one YAML mapping that starts with 'schema: {RuleSetLoader.SupportedSchema}'; found {(stream.Documents.Count == 0 ? "nothing" : "something else")}");
            return null;
        }

        var fields = Fields(root, "", TopFields);
        var schema = RequiredText(fields, root, "", "schema", RuleSetLoader.SupportedSchema);
        if (schema is not null && schema != RuleSetLoader.SupportedSchema)
        {
            Add(fields["schema"].Start, "schema", $"expected {RuleSetLoader.SupportedSchema}; found '{schema}'");
            return null;
        }
        var id = RequiredText(fields, root, "", "id", "a rule set name such as pole-lighting");
        var version = 0;
        if (RequiredText(fields, root, "", "version", "a positive whole number") is { } versionText
            && (!int.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out version) || version < 1))
        {
            Add(fields["version"].Start, "version", $"expected a positive whole number; found '{versionText}'");
        }
        var description = OptionalText(fields, "description", "description");

        if (fields.TryGetValue("devices", out var devicesNode))
            ReadDevices(devicesNode);
        if (fields.TryGetValue("virtual", out var virtualNode))
            ReadVirtual(virtualNode);

        var rules = new List<RuleDefinition>();
        if (!fields.TryGetValue("rules", out var rulesNode))
        {
            Add(root.Start, "rules", "expected a list of rules; found none");
        }
        else if (rulesNode is not YamlSequenceNode sequence || sequence.Children.Count == 0)
        {
            Add(rulesNode.Start, "rules", $"expected a list of at least one rule; found {Describe(rulesNode)}");
        }
        else
        {
            var ids = new Dictionary<string, Mark>(StringComparer.Ordinal);
            for (var i = 0; i < sequence.Children.Count; i++)
            {
                if (sequence.Children[i] is YamlMappingNode ruleMap
                    && ruleMap.Children.TryGetValue(new YamlScalarNode("id"), out var idNode) && idNode is YamlScalarNode { Value: { } ruleId }
                    && !ids.TryAdd(ruleId, idNode.Start))
                {
                    Add(idNode.Start, $"rules[{i}].id", $"expected rule ids to be unique; found '{ruleId}' again (first at line {ids[ruleId].Line})");
                }
                if (ReadRule(sequence.Children[i], $"rules[{i}]") is { } rule)
                    rules.Add(rule);
            }
        }
        if (id is null || _errors.Count > 0)
            return null;
        return new RuleSet(id, version, description, [.. _devices.Values], [.. _virtual.Values], rules, _file);
    }

    private void ReadDevices(YamlNode node)
    {
        if (node is not YamlMappingNode map)
        {
            Add(node.Start, "devices", $"expected a mapping of device names to {{ model: ..., id: ... }}; found {Describe(node)}");
            return;
        }
        foreach (var (keyNode, value) in map.Children)
        {
            var name = (keyNode as YamlScalarNode)?.Value ?? "";
            var path = $"devices.{name}";
            if (!IsIdentifier(name) || name == VirtualDevice)
            {
                Add(keyNode.Start, path, $"expected a device name of letters, digits and _ (not '{VirtualDevice}'), usable in expressions as name.point; found '{name}'");
                continue;
            }
            if (value is not YamlMappingNode deviceMap)
            {
                Add(value.Start, path, $"expected {{ model: ..., id: ... }}; found {Describe(value)}");
                continue;
            }
            var fields = Fields(deviceMap, path, DeviceFields);
            var model = RequiredText(fields, deviceMap, path, "model", "a hardware profile model such as civicedge-slc1");
            if (model is null)
                continue;
            if (_catalog.PointsOf(model) is null)
                Add(fields["model"].Start, $"{path}.model", $"expected a known model ({string.Join(", ", _catalog.Models)}); found '{model}'");
            var deviceId = OptionalText(fields, "id", $"{path}.id");
            var staleAfter = OptionalDuration(fields, "staleAfter", $"{path}.staleAfter");
            _devices[name] = new RuleDevice(name, model, deviceId, staleAfter);
        }
    }

    private void ReadVirtual(YamlNode node)
    {
        if (node is not YamlMappingNode map)
        {
            Add(node.Start, "virtual", $"expected a mapping of virtual point names to initial values; found {Describe(node)}");
            return;
        }
        foreach (var (keyNode, value) in map.Children)
        {
            var name = (keyNode as YamlScalarNode)?.Value ?? "";
            if (!IsIdentifier(name))
            {
                Add(keyNode.Start, $"virtual.{name}", $"expected a point name of letters, digits and _; found '{name}'");
                continue;
            }
            var initial = Number(value, $"virtual.{name}");
            if (initial is not null)
                _virtual[name] = new VirtualPoint(name, initial.Value);
        }
    }

    private RuleDefinition? ReadRule(YamlNode node, string path)
    {
        if (node is not YamlMappingNode map)
        {
            Add(node.Start, path, $"expected a rule (a mapping with id, when, then, ...); found {Describe(node)}");
            return null;
        }
        var before = _errors.Count;
        var fields = Fields(map, path, RuleFields);
        var id = RequiredText(fields, map, path, "id", "a rule id such as lamp-failure");
        var description = OptionalText(fields, "description", $"{path}.description");
        // Null when the trigger is invalid (already reported): what else the rule needs then is unknown.
        var trigger = fields.TryGetValue("trigger", out var triggerNode) ? ReadTrigger(triggerNode, $"{path}.trigger") : ChangeTrigger.Instance;
        ExpressionNode? condition = null;
        if (fields.TryGetValue("when", out var whenNode))
        {
            condition = Expression(whenNode, $"{path}.when");
            if (condition is not null)
                Check(whenNode, $"{path}.when", () => ExpressionTypes.CheckCondition(condition, this));
        }
        else if (trigger is ChangeTrigger)
        {
            Add(map.Start, $"{path}.when", "expected a condition ('when'): a rule evaluated on change needs one; only a scheduled rule may leave it out");
        }
        var forDuration = OptionalDuration(fields, "for", $"{path}.for") ?? TimeSpan.Zero;
        var clearFor = OptionalDuration(fields, "clearFor", $"{path}.clearFor") ?? TimeSpan.Zero;
        var hysteresis = fields.TryGetValue("hysteresis", out var h) ? NonNegative(h, $"{path}.hysteresis") : 0;
        var deadband = fields.TryGetValue("deadband", out var d) ? NonNegative(d, $"{path}.deadband") : 0;
        if (trigger is CronTrigger or SunTrigger && (forDuration > TimeSpan.Zero || clearFor > TimeSpan.Zero))
            Add(map.Start, $"{path}.for", "expected 'for' and 'clearFor' only on a rule evaluated on change; a scheduled rule acts at its times");

        var usedDevices = condition is null ? [] : Devices(condition).ToHashSet();
        var then = fields.TryGetValue("then", out var thenNode) ? ReadActions(thenNode, $"{path}.then", usedDevices) : [];
        var otherwise = fields.TryGetValue("else", out var elseNode) ? ReadActions(elseNode, $"{path}.else", usedDevices) : [];
        if (then.Count == 0 && otherwise.Count == 0 && _errors.Count == before)
            Add(map.Start, $"{path}.then", "expected at least one action under 'then' or 'else'; found none");
        if (id is null || trigger is null || _errors.Count > before)
            return null;
        return new RuleDefinition(id, description, trigger, condition, forDuration, clearFor, hysteresis, deadband, then, otherwise);
    }

    private RuleTrigger? ReadTrigger(YamlNode node, string path)
    {
        if (node is YamlScalarNode { Value: "change" })
            return ChangeTrigger.Instance;
        if (node is not YamlMappingNode map)
        {
            Add(node.Start, path, $"expected 'change', {{ cron: \"0 1 * * *\" }} or {{ sun: sunset, offset: 15m }}; found {Describe(node)}");
            return null;
        }
        var fields = Fields(map, path, TriggerFields);
        if (fields.TryGetValue("cron", out var cronNode))
        {
            var text = Scalar(cronNode, $"{path}.cron", CronSchedule.Expected);
            if (text is null)
                return null;
            try
            {
                CronSchedule.Parse(text, TimeZoneInfo.Utc);
            }
            catch (FormatException e)
            {
                Add(cronNode.Start, $"{path}.cron", e.Message);
            }
            if (fields.ContainsKey("sun") || fields.ContainsKey("offset"))
                Add(map.Start, path, "expected either cron or sun (with an offset); found both");
            return new CronTrigger(text);
        }
        if (fields.TryGetValue("sun", out var sunNode))
        {
            var name = Scalar(sunNode, $"{path}.sun", "sunrise, sunset, dawn or dusk");
            var match = SunEvents.FirstOrDefault(s => s.Name == name);
            if (name is not null && match.Name is null)
                Add(sunNode.Start, $"{path}.sun", $"expected sunrise, sunset, dawn or dusk; found '{name}'");
            var offset = TimeSpan.Zero;
            if (fields.TryGetValue("offset", out var offsetNode) && Scalar(offsetNode, $"{path}.offset", DurationText.Expected) is { } offsetText)
            {
                var negative = offsetText.StartsWith('-');
                if (DurationText.TryParse(negative ? offsetText[1..] : offsetText.TrimStart('+'), out offset))
                    offset = negative ? -offset : offset;
                else
                    Add(offsetNode.Start, $"{path}.offset", $"expected {DurationText.Expected}, with - for before; found '{offsetText}'");
            }
            return new SunTrigger(match.Value, offset);
        }
        Add(map.Start, path, "expected cron or sun; found neither");
        return null;
    }

    private List<RuleAction> ReadActions(YamlNode node, string path, HashSet<string> usedDevices)
    {
        var actions = new List<RuleAction>();
        if (node is not YamlSequenceNode sequence)
        {
            Add(node.Start, path, $"expected a list of actions ({string.Join(", ", ActionKinds)}); found {Describe(node)}");
            return actions;
        }
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var item = sequence.Children[i];
            var itemPath = $"{path}[{i}]";
            if (item is not YamlMappingNode { Children.Count: 1 } map)
            {
                Add(item.Start, itemPath, $"expected one action such as raise: {{ alarm: ..., severity: ... }} ({string.Join(", ", ActionKinds)}); found {Describe(item)}");
                continue;
            }
            var (keyNode, body) = map.Children.First();
            var kind = (keyNode as YamlScalarNode)?.Value ?? "";
            var actionPath = $"{itemPath}.{kind}";
            var action = kind switch
            {
                "raise" => ReadRaise(body, actionPath, usedDevices),
                "clear" => ReadClear(body, actionPath, usedDevices),
                "write" => ReadWrite(body, actionPath),
                "publish" => ReadPublish(body, actionPath),
                "set" => ReadSet(body, actionPath),
                _ => Unknown(keyNode, itemPath, kind),
            };
            if (action is not null)
                actions.Add(action);
        }
        return actions;
    }

    private RuleAction? Unknown(YamlNode keyNode, string path, string kind)
    {
        Add(keyNode.Start, path, $"expected an action: {string.Join(", ", ActionKinds)}; found '{kind}'");
        return null;
    }

    private RaiseAlarmAction? ReadRaise(YamlNode node, string path, HashSet<string> usedDevices)
    {
        if (Map(node, path, "{ alarm: lamp_failure, severity: major, message: \"...\" }") is not { } map)
            return null;
        var fields = Fields(map, path, ["alarm", "device", "severity", "message"]);
        var alarm = RequiredText(fields, map, path, "alarm", "an alarm code such as lamp_failure");
        var device = AlarmDevice(fields, map, path, usedDevices);
        var severity = AlarmSeverity.Warning;
        if (fields.TryGetValue("severity", out var severityNode) && Scalar(severityNode, $"{path}.severity", "info, warning, major or critical") is { } severityText)
        {
            var match = Severities.FirstOrDefault(s => s.Name == severityText);
            if (match.Name is null)
                Add(severityNode.Start, $"{path}.severity", $"expected info, warning, major or critical; found '{severityText}'");
            severity = match.Value;
        }
        var message = fields.TryGetValue("message", out var messageNode) ? Template(messageNode, $"{path}.message") : null;
        if (alarm is null || device is null)
            return null;
        return new RaiseAlarmAction(alarm, device, severity, message ?? MessageTemplate.Parse(alarm, this));
    }

    private ClearAlarmAction? ReadClear(YamlNode node, string path, HashSet<string> usedDevices)
    {
        if (Map(node, path, "{ alarm: lamp_failure, device: lamp }") is not { } map)
            return null;
        var fields = Fields(map, path, ["alarm", "device"]);
        var alarm = RequiredText(fields, map, path, "alarm", "an alarm code");
        var device = AlarmDevice(fields, map, path, usedDevices);
        return alarm is null || device is null ? null : new ClearAlarmAction(alarm, device);
    }

    private WritePointAction? ReadWrite(YamlNode node, string path)
    {
        if (Map(node, path, "{ point: lamp.dimming_level, value: 50 }") is not { } map)
            return null;
        var fields = Fields(map, path, ["point", "value"]);
        var target = RequiredText(fields, map, path, "point", "device.point of a writable point");
        ExpressionNode? value = null;
        if (!fields.TryGetValue("value", out var valueNode))
            Add(map.Start, $"{path}.value", "expected the value to write (a number or an expression); found none");
        else if ((value = Expression(valueNode, $"{path}.value")) is not null)
            Check(valueNode, $"{path}.value", () => ExpressionTypes.CheckValue(value, this));
        if (target is null)
            return null;
        var dot = target.IndexOf('.', StringComparison.Ordinal);
        var (device, point) = dot > 0 ? (target[..dot], target[(dot + 1)..]) : ("", target);
        var problem = dot <= 0 ? $"expected device.point; found '{target}'"
            : device == VirtualDevice ? "expected a device point; a virtual point is set with 'set', not written"
            : CheckDevice(device) ?? CheckPoint(device, point);
        if (problem is null && _catalog.PointsOf(_devices[device].Model)?.First(p => p.Name == point) is { Writable: false })
            problem = $"expected a point that model {_devices[device].Model} marks writable; found '{point}', which is read-only";
        if (problem is not null)
            Add(fields["point"].Start, $"{path}.point", problem);
        return problem is null && value is not null ? new WritePointAction(device, point, value) : null;
    }

    private PublishEventAction? ReadPublish(YamlNode node, string path)
    {
        if (Map(node, path, "{ event: lamps_dimmed, message: \"...\" }") is not { } map)
            return null;
        var fields = Fields(map, path, ["event", "device", "message"]);
        var name = RequiredText(fields, map, path, "event", "an event name such as lamps_dimmed");
        var device = OptionalText(fields, "device", $"{path}.device");
        if (device is not null && CheckDevice(device) is { } problem)
            Add(fields["device"].Start, $"{path}.device", problem);
        var message = fields.TryGetValue("message", out var messageNode) ? Template(messageNode, $"{path}.message") : null;
        return name is null ? null : new PublishEventAction(name, device, message ?? MessageTemplate.Parse(name, this));
    }

    private SetVirtualPointAction? ReadSet(YamlNode node, string path)
    {
        if (Map(node, path, "{ point: night_mode, value: 1 }") is not { } map)
            return null;
        var fields = Fields(map, path, ["point", "value"]);
        var point = RequiredText(fields, map, path, "point", "a virtual point declared under 'virtual'");
        if (point is not null && CheckPoint(VirtualDevice, point) is { } problem)
        {
            Add(fields["point"].Start, $"{path}.point", problem);
            point = null;
        }
        ExpressionNode? value = null;
        if (!fields.TryGetValue("value", out var valueNode))
            Add(map.Start, $"{path}.value", "expected the value to set; found none");
        else if ((value = Expression(valueNode, $"{path}.value")) is not null)
            Check(valueNode, $"{path}.value", () => ExpressionTypes.CheckValue(value, this));
        return point is null || value is null ? null : new SetVirtualPointAction(point, value);
    }

    private string? AlarmDevice(Dictionary<string, YamlNode> fields, YamlMappingNode map, string path, HashSet<string> usedDevices)
    {
        if (OptionalText(fields, "device", $"{path}.device") is { } device)
        {
            var problem = device == VirtualDevice ? "expected a device; found 'virtual', which holds the rule set's own points" : CheckDevice(device);
            if (problem is not null)
            {
                Add(fields["device"].Start, $"{path}.device", problem);
                return null;
            }
            return device;
        }
        usedDevices.Remove(VirtualDevice);
        if (usedDevices.Count == 1)
            return usedDevices.First();
        Add(map.Start, $"{path}.device", usedDevices.Count == 0
            ? "expected the device the alarm is about ('device'); the condition reads none to take it from"
            : $"expected the device the alarm is about ('device'); the condition reads several ({string.Join(", ", usedDevices.Order(StringComparer.Ordinal))})");
        return null;
    }

    private static IEnumerable<string> Devices(ExpressionNode node) => node switch
    {
        PointReference p => [p.Device],
        UnaryExpression u => Devices(u.Operand),
        BinaryExpression b => Devices(b.Left).Concat(Devices(b.Right)),
        FunctionCall { Name: "is_stale" } c => c.Arguments.Select(a => a is NameReference n ? n.Name : a is StringLiteral s ? s.Value : "").Where(d => d.Length > 0),
        FunctionCall c => c.Arguments.SelectMany(Devices),
        _ => [],
    };

    private ExpressionNode? Expression(YamlNode node, string path)
    {
        if (node is not YamlScalarNode scalar || scalar.Value is null)
        {
            Add(node.Start, path, $"expected an expression; found {Describe(node)}");
            return null;
        }
        try
        {
            return ExpressionParser.Parse(scalar.Value);
        }
        catch (ExpressionSyntaxException e)
        {
            AddAt(scalar, e.Position, path, e.Reason);
            return null;
        }
    }

    private MessageTemplate? Template(YamlNode node, string path)
    {
        if (node is not YamlScalarNode { Value: { } text } scalar)
        {
            Add(node.Start, path, $"expected a message; found {Describe(node)}");
            return null;
        }
        try
        {
            return MessageTemplate.Parse(text, this);
        }
        catch (ExpressionSyntaxException e)
        {
            AddAt(scalar, e.Position, path, e.Reason);
            return null;
        }
    }

    private void Check(YamlNode node, string path, Action check)
    {
        try
        {
            check();
        }
        catch (ExpressionSyntaxException e)
        {
            AddAt((YamlScalarNode)node, e.Position, path, e.Reason);
        }
    }

    /// <summary>Reports a problem at a position inside a scalar, translated to the file's line and column.</summary>
    private void AddAt(YamlScalarNode scalar, SourcePosition position, string path, string reason)
    {
        var quoted = scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted ? 1 : 0;
        var block = scalar.Style is ScalarStyle.Literal or ScalarStyle.Folded;
        var line = (int)scalar.Start.Line + position.Line - 1 + (block ? 1 : 0);
        var column = position.Line == 1 && !block ? (int)scalar.Start.Column + quoted + position.Column - 1 : position.Column;
        _errors.Add(new RuleError(_file, line, column, path, reason));
    }

    private Dictionary<string, YamlNode> Fields(YamlMappingNode map, string path, string[] allowed)
    {
        var fields = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in map.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            var field = path.Length == 0 ? key : $"{path}.{key}";
            if (!allowed.Contains(key))
                Add(keyNode.Start, field, $"expected one of the fields {string.Join(", ", allowed)}; found '{key}'");
            else
                fields[key] = value;
        }
        return fields;
    }

    private YamlMappingNode? Map(YamlNode node, string path, string example)
    {
        if (node is YamlMappingNode map)
            return map;
        Add(node.Start, path, $"expected {example}; found {Describe(node)}");
        return null;
    }

    private string? RequiredText(Dictionary<string, YamlNode> fields, YamlNode parent, string path, string name, string expected)
    {
        var field = path.Length == 0 ? name : $"{path}.{name}";
        if (!fields.TryGetValue(name, out var node))
        {
            Add(parent.Start, field, $"expected {expected}; found no '{name}'");
            return null;
        }
        var text = Scalar(node, field, expected);
        if (text is not null && text.Length == 0)
        {
            Add(node.Start, field, $"expected {expected}; found an empty value");
            return null;
        }
        return text;
    }

    private string? OptionalText(Dictionary<string, YamlNode> fields, string name, string field) =>
        fields.TryGetValue(name, out var node) ? Scalar(node, field, "text") : null;

    private TimeSpan? OptionalDuration(Dictionary<string, YamlNode> fields, string name, string field)
    {
        if (!fields.TryGetValue(name, out var node) || Scalar(node, field, DurationText.Expected) is not { } text)
            return null;
        if (DurationText.TryParse(text, out var duration))
            return duration;
        Add(node.Start, field, $"expected {DurationText.Expected}; found '{text}'");
        return null;
    }

    private double NonNegative(YamlNode node, string field)
    {
        var value = Number(node, field);
        if (value is < 0)
            Add(node.Start, field, $"expected a number of at least 0; found {value.Value.ToString(CultureInfo.InvariantCulture)}");
        return value ?? 0;
    }

    private double? Number(YamlNode node, string field)
    {
        var text = Scalar(node, field, "a number");
        if (text is null)
            return null;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
            return value;
        Add(node.Start, field, $"expected a number; found '{text}'");
        return null;
    }

    private string? Scalar(YamlNode node, string field, string expected)
    {
        if (node is YamlScalarNode scalar)
            return scalar.Value ?? "";
        Add(node.Start, field, $"expected {expected}; found {Describe(node)}");
        return null;
    }

    private static bool IsIdentifier(string text) =>
        text.Length > 0 && (char.IsAsciiLetter(text[0]) || text[0] == '_') && text.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
        && text is not ("and" or "or" or "not" or "true" or "false");

    private static string Describe(YamlNode node) => node switch
    {
        YamlScalarNode s => $"'{s.Value}'",
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        _ => "something else",
    };

    private void Add(Mark mark, string field, string message) => Add((int)mark.Line, (int)mark.Column, field, message);

    private void Add(int line, int column, string field, string message) => _errors.Add(new RuleError(_file, line, column, field, message));
}
