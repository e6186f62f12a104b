using CivicEdge.Rules.Documents;
using CivicEdge.Rules.Scheduling;
using CivicEdge.Solar;

namespace CivicEdge.Rules.Evaluation;

/// <summary>
/// Runs one rule set: takes readings and clock ticks, evaluates the rules they affect, and emits what the rules decide
/// (<see cref="RuleIntent"/>) to a sink. A reading evaluates only the rules whose condition reads its point (an index
/// from slot to rules, built when the rule set is compiled); a tick runs due schedules, rules waiting out a
/// <c>for</c>, rules whose condition moves with time, and the communication watch. Alarms are de-duplicated: raised once
/// while active, cleared once. Not thread-safe: one engine runs on one thread, as the acquisition loop feeds it.
/// </summary>
public sealed class RuleEngine
{
    private static readonly int[] NoRules = [];

    private readonly RuleEngineOptions _options;
    private readonly TimeProvider _time;
    private readonly IRuleIntentSink _sink;
    private readonly SolarCalculator _sun;
    private readonly EvaluationContext _context;
    private readonly CompiledRule[] _rules;
    private readonly CompiledRule[] _scheduled;
    private readonly CompiledRule[] _timeDependent;
    private readonly List<CompiledRule> _waiting = [];
    private readonly int[][] _dependents;
    private readonly int[] _slotDevice;
    private readonly Dictionary<(string Code, string Point), int> _slots;
    private readonly Dictionary<string, int> _deviceIndex;
    private readonly string[] _deviceCodes;
    private readonly int[] _staleSlots;
    private readonly long[] _staleAfter;
    private readonly long[] _lastGood;
    private readonly Dictionary<(string DeviceId, string Alarm), ActiveAlarm> _alarms = [];

    /// <summary>Compiles <paramref name="ruleSet"/> (already validated by <see cref="RuleSetLoader"/>).</summary>
    /// <exception cref="ArgumentException">A device has no code, or an option is out of range.</exception>
    public RuleEngine(RuleSet ruleSet, DeviceBinding binding, RuleEngineOptions options, TimeProvider time, IRuleIntentSink sink)
    {
        ArgumentNullException.ThrowIfNull(ruleSet);
        ArgumentNullException.ThrowIfNull(binding);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(sink);
        options.Validate();
        RuleSet = ruleSet;
        _options = options;
        _time = time;
        _sink = sink;
        _sun = new SolarCalculator(options.Latitude, options.Longitude);
        var now = time.GetUtcNow();

        var codes = ruleSet.Devices.ToDictionary(d => d.Name, binding.CodeOf, StringComparer.Ordinal);
        var allocator = new SlotAllocator(codes, ruleSet.Devices.Select(d => codes[d.Name]));
        var compiler = new ExpressionCompiler(allocator);
        foreach (var point in ruleSet.VirtualPoints)
            allocator.PointSlot(RuleSetLoader.VirtualDevice, point.Name);

        var reads = new List<HashSet<int>>();
        _rules = new CompiledRule[ruleSet.Rules.Count];
        for (var i = 0; i < _rules.Length; i++)
        {
            var definition = ruleSet.Rules[i];
            allocator.BeginReads();
            var condition = definition.Condition is null ? (_ => 1) : compiler.Condition(definition.Condition);
            reads.Add(allocator.EndReads());
            _rules[i] = new CompiledRule
            {
                Definition = definition,
                Index = i,
                Condition = condition,
                DependsOnTime = definition.Condition is not null && ExpressionCompiler.DependsOnTime(definition.Condition),
                Then = [.. definition.Then.Select(a => Compile(a, compiler, allocator, codes))],
                Else = [.. definition.Else.Select(a => Compile(a, compiler, allocator, codes))],
                ForTicks = definition.For.Ticks,
                ClearForTicks = definition.ClearFor.Ticks,
                Hysteresis = definition.Hysteresis,
                Deadband = definition.Deadband,
                Cron = definition.Trigger is CronTrigger cron ? CronSchedule.Parse(cron.Expression, options.TimeZone) : null,
                Sun = definition.Trigger as SunTrigger,
            };
            _rules[i].NextDue = NextOccurrence(_rules[i], now);
        }
        _scheduled = [.. _rules.Where(r => r.Scheduled)];
        _timeDependent = [.. _rules.Where(r => !r.Scheduled && r.DependsOnTime)];

        _context = new EvaluationContext(allocator.Count, _sun) { Now = now.UtcTicks };
        foreach (var (slot, span) in allocator.Windows)
            _context.Windows[slot] = new SeriesWindow(options.WindowCapacity, span);
        foreach (var point in ruleSet.VirtualPoints)
        {
            var slot = allocator.Points[(SlotAllocator.VirtualCode, point.Name)];
            _context.Values[slot] = point.Initial;
            _context.ChangedAt[slot] = now.UtcTicks;
        }

        var dependents = new List<int>[allocator.Count];
        for (var i = 0; i < _rules.Length; i++)
        {
            if (_rules[i].Scheduled)
                continue;
            foreach (var slot in reads[i])
                (dependents[slot] ??= []).Add(i);
        }
        _dependents = [.. dependents.Select(d => d is null ? NoRules : d.ToArray())];
        _slotDevice = [.. allocator.SlotDevice];
        _slots = allocator.Points;
        _deviceIndex = allocator.DeviceIndex;
        _deviceCodes = new string[_deviceIndex.Count];
        _staleSlots = new int[_deviceIndex.Count];
        _staleAfter = new long[_deviceIndex.Count];
        _lastGood = new long[_deviceIndex.Count];
        foreach (var (code, index) in _deviceIndex)
        {
            _deviceCodes[index] = code;
            _staleSlots[index] = allocator.StaleSlots[code];
            _context.Values[_staleSlots[index]] = 0;
            _staleAfter[index] = (ruleSet.Devices.Where(d => codes[d.Name] == code).Select(d => d.StaleAfter).FirstOrDefault(s => s is not null) ?? options.StaleAfter).Ticks;
            // A device counts as talking when the engine starts: it is lost only after a whole staleAfter of silence.
            _lastGood[index] = now.UtcTicks;
        }
    }

    public RuleSet RuleSet { get; }

    public RuleEngineCounters Counters { get; } = new();

    /// <summary>The alarms raised and not yet cleared.</summary>
    public IReadOnlyCollection<ActiveAlarm> ActiveAlarms => _alarms.Values;

    /// <summary>
    /// The earliest time a <see cref="Tick"/> has something to do (a schedule, the end of a <c>for</c>, a device going
    /// silent), or null; rules whose condition moves with time want a tick at the caller's cadence besides.
    /// </summary>
    public DateTimeOffset? NextDue
    {
        get
        {
            var due = long.MaxValue;
            foreach (var rule in _scheduled)
                due = Math.Min(due, rule.NextDue);
            foreach (var rule in _waiting)
            {
                if (rule.HoldSince != CompiledRule.NotPending)
                    due = Math.Min(due, rule.HoldSince + rule.ForTicks);
                if (rule.ClearSince != CompiledRule.NotPending)
                    due = Math.Min(due, rule.ClearSince + rule.ClearForTicks);
            }
            for (var d = 0; d < _lastGood.Length; d++)
            {
                if (_context.Values[_staleSlots[d]] == 0)
                    due = Math.Min(due, _lastGood[d] + _staleAfter[d]);
            }
            return due == long.MaxValue ? null : new DateTimeOffset(due, TimeSpan.Zero);
        }
    }

    /// <summary>Whether the rule is active (its condition held, for long enough).</summary>
    public bool IsActive(string ruleId) =>
        _rules.FirstOrDefault(r => r.Definition.Id == ruleId)?.Active
        ?? throw new ArgumentException($"Rule set {RuleSet.Id} has no rule '{ruleId}'.", nameof(ruleId));

    /// <summary>The slot of a point some rule reads, for <see cref="Update(int, double, ReadingQuality, DateTimeOffset)"/>.</summary>
    public bool TryGetSlot(string deviceId, string point, out int slot)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        ArgumentNullException.ThrowIfNull(point);
        return _slots.TryGetValue((deviceId, point), out slot);
    }

    /// <summary>A reading of a device's point. False when no rule reads the point (counted; it still shows the device talks).</summary>
    public bool Update(string deviceId, string point, double value, ReadingQuality quality, DateTimeOffset at)
    {
        if (TryGetSlot(deviceId, point, out var slot))
        {
            Update(slot, value, quality, at);
            return true;
        }
        Counters.UnusedReadings++;
        if (quality == ReadingQuality.Good && _deviceIndex.TryGetValue(deviceId, out var device))
            Heard(device, at.UtcTicks, _time.GetUtcNow().UtcTicks);
        return false;
    }

    /// <summary>A reading of the point in <paramref name="slot"/>; evaluates the rules that read it if its value changed.</summary>
    public void Update(int slot, double value, ReadingQuality quality, DateTimeOffset at)
    {
        if ((uint)slot >= (uint)_slotDevice.Length || _slotDevice[slot] < 0)
            throw new ArgumentOutOfRangeException(nameof(slot), slot, "Expected a point slot from TryGetSlot.");
        var now = _time.GetUtcNow().UtcTicks;
        var ticks = at.UtcTicks;
        var good = quality == ReadingQuality.Good && double.IsFinite(value);
        if (good)
        {
            Heard(_slotDevice[slot], ticks, now);
            if (_context.Windows[slot] is { } window)
            {
                if (!window.Add(ticks, value, out var overflowed))
                    Counters.OutOfOrderReadings++;
                if (overflowed)
                    Counters.WindowOverflows++;
            }
        }
        var v = good ? value : double.NaN;
        if (_context.Values[slot].Equals(v))
            return;
        _context.Values[slot] = v;
        if (good)
            _context.ChangedAt[slot] = ticks;
        EvaluateDependents(slot, now, 0);
    }

    /// <summary>The acquisition reports that a device stopped answering (or answers again) before staleAfter has passed.</summary>
    public void ReportCommunication(string deviceId, bool lost)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        if (!_deviceIndex.TryGetValue(deviceId, out var device))
            return;
        var now = _time.GetUtcNow().UtcTicks;
        if (!lost)
            _lastGood[device] = Math.Max(_lastGood[device], now);
        SetStale(device, lost, now);
    }

    /// <summary>An operator acknowledged an alarm at the fleet. False (and counted) when the alarm is not active here.</summary>
    public bool Acknowledge(string deviceId, string alarm, string? by = null)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        ArgumentNullException.ThrowIfNull(alarm);
        if (!_alarms.TryGetValue((deviceId, alarm), out var active))
        {
            Counters.AcknowledgementsIgnored++;
            return false;
        }
        if (active.State == AlarmState.Acknowledged)
            return true;
        _alarms[(deviceId, alarm)] = active with { State = AlarmState.Acknowledged };
        _sink.Emit(new AcknowledgeAlarm(active.RuleId, _time.GetUtcNow(), deviceId, alarm, by));
        return true;
    }

    /// <summary>Advances the engine to the time provider's now.</summary>
    public void Tick()
    {
        var now = _time.GetUtcNow().UtcTicks;
        for (var d = 0; d < _lastGood.Length; d++)
        {
            if (_context.Values[_staleSlots[d]] == 0 && now - _lastGood[d] >= _staleAfter[d])
                SetStale(d, true, now);
        }
        foreach (var rule in _scheduled)
        {
            if (now < rule.NextDue)
                continue;
            RunScheduled(rule, now);
            // One run for however many times were missed (the gateway was off): a schedule acts on the present.
            rule.NextDue = NextOccurrence(rule, new DateTimeOffset(now, TimeSpan.Zero));
        }
        // Evaluating only ever appends to the list, so the rules waiting before this tick are its first entries.
        var waiting = _waiting.Count;
        for (var i = 0; i < waiting; i++)
            Evaluate(_waiting[i], now, 0);
        _waiting.RemoveAll(r => !r.Waiting);
        foreach (var rule in _timeDependent)
            Evaluate(rule, now, 0);
    }

    private void Heard(int device, long readingTicks, long now)
    {
        if (readingTicks > _lastGood[device])
            _lastGood[device] = readingTicks;
        if (_context.Values[_staleSlots[device]] != 0)
            SetStale(device, false, now);
    }

    private void SetStale(int device, bool stale, long now)
    {
        var slot = _staleSlots[device];
        var value = stale ? 1.0 : 0.0;
        if (_context.Values[slot] == value)
            return;
        _context.Values[slot] = value;
        _context.ChangedAt[slot] = now;
        EvaluateDependents(slot, now, 0);
    }

    private void EvaluateDependents(int slot, long now, int depth)
    {
        var rules = _dependents[slot];
        for (var i = 0; i < rules.Length; i++)
            Evaluate(_rules[rules[i]], now, depth);
    }

    private void Evaluate(CompiledRule rule, long now, int depth)
    {
        _context.Now = now;
        _context.Hysteresis = rule.Active ? rule.Hysteresis : 0;
        var result = rule.Condition(_context);
        Counters.Evaluations++;
        if (double.IsNaN(result))
        {
            Counters.UnknownConditions++;
            return;
        }
        if (result != 0)
        {
            rule.ClearSince = CompiledRule.NotPending;
            if (rule.Active)
                Refresh(rule, now, depth);
            else if (rule.ForTicks == 0 || (rule.HoldSince != CompiledRule.NotPending && now - rule.HoldSince >= rule.ForTicks))
                Activate(rule, now, depth);
            else if (rule.HoldSince == CompiledRule.NotPending)
                rule.HoldSince = now;
        }
        else
        {
            rule.HoldSince = CompiledRule.NotPending;
            if (rule.Active)
            {
                if (rule.ClearForTicks == 0 || (rule.ClearSince != CompiledRule.NotPending && now - rule.ClearSince >= rule.ClearForTicks))
                    Deactivate(rule, now, depth);
                else if (rule.ClearSince == CompiledRule.NotPending)
                    rule.ClearSince = now;
            }
        }
        var waiting = rule.HoldSince != CompiledRule.NotPending || rule.ClearSince != CompiledRule.NotPending;
        if (waiting && !rule.Waiting)
            _waiting.Add(rule);
        rule.Waiting = waiting;
    }

    private void Activate(CompiledRule rule, long now, int depth)
    {
        rule.Active = true;
        rule.HoldSince = CompiledRule.NotPending;
        Run(rule, rule.Then, now, depth);
    }

    private void Deactivate(CompiledRule rule, long now, int depth)
    {
        rule.Active = false;
        rule.ClearSince = CompiledRule.NotPending;
        ClearOwnAlarms(rule, now);
        Run(rule, rule.Else, now, depth);
    }

    private void RunScheduled(CompiledRule rule, long now)
    {
        _context.Now = now;
        _context.Hysteresis = 0;
        var result = rule.Condition(_context);
        Counters.Evaluations++;
        if (double.IsNaN(result))
        {
            Counters.UnknownConditions++;
            return;
        }
        rule.Active = result != 0;
        if (rule.Active)
        {
            Run(rule, rule.Then, now, 0);
        }
        else
        {
            ClearOwnAlarms(rule, now);
            Run(rule, rule.Else, now, 0);
        }
    }

    /// <summary>
    /// While a rule stays active, a written or set value that follows its inputs is sent again when it has moved by
    /// more than the rule's deadband (a fan speed following a gas level), and not for every small change.
    /// </summary>
    private void Refresh(CompiledRule rule, long now, int depth)
    {
        foreach (var action in rule.Then)
        {
            if (action.Value is null)
                continue;
            var value = action.Value(_context);
            if (double.IsNaN(value) || Math.Abs(value - action.LastValue) <= rule.Deadband)
                continue;
            Execute(rule, action, now, depth);
        }
    }

    /// <summary>
    /// Clears the alarms this rule raised. Another rule may raise the same alarm on the same device; the alarm then
    /// belongs to the rule that raised it first, and only that rule's return to normal (or an explicit clear) ends it.
    /// </summary>
    private void ClearOwnAlarms(CompiledRule rule, long now)
    {
        foreach (var action in rule.Then)
        {
            if (action.Source is RaiseAlarmAction && _alarms.TryGetValue((action.DeviceId!, action.Name), out var active)
                && active.RuleId == rule.Definition.Id)
            {
                Clear(rule, action.DeviceId!, action.Name, now);
            }
        }
    }

    private void Run(CompiledRule rule, CompiledAction[] actions, long now, int depth)
    {
        foreach (var action in actions)
            Execute(rule, action, now, depth);
    }

    private void Execute(CompiledRule rule, CompiledAction action, long now, int depth)
    {
        var at = new DateTimeOffset(now, TimeSpan.Zero);
        var id = rule.Definition.Id;
        switch (action.Source)
        {
            case RaiseAlarmAction:
                var key = (action.DeviceId!, action.Name);
                if (_alarms.ContainsKey(key))
                    return;
                _alarms[key] = new ActiveAlarm(id, action.DeviceId!, action.Name, action.Severity, AlarmState.Raised, at);
                _sink.Emit(new RaiseAlarm(id, at, action.DeviceId!, action.Name, action.Severity, action.Message!.Format(_context, id, action.DeviceId)));
                return;
            case ClearAlarmAction:
                Clear(rule, action.DeviceId!, action.Name, now);
                return;
            case PublishEventAction:
                _sink.Emit(new PublishEvent(id, at, action.Name, action.DeviceId, action.Message!.Format(_context, id, action.DeviceId)));
                return;
        }

        var value = action.Value!(_context);
        if (double.IsNaN(value))
        {
            Counters.UnknownValues++;
            return;
        }
        action.LastValue = value;
        if (action.Source is WritePointAction)
        {
            _sink.Emit(new WritePoint(id, at, action.DeviceId!, action.Name, value));
            return;
        }
        _sink.Emit(new SetVirtualPoint(id, at, action.Name, value));
        if (_context.Values[action.Slot].Equals(value))
            return;
        _context.Values[action.Slot] = value;
        _context.ChangedAt[action.Slot] = now;
        if (depth + 1 >= _options.MaxCascade)
        {
            Counters.CascadesCut++;
            return;
        }
        EvaluateDependents(action.Slot, now, depth + 1);
    }

    private void Clear(CompiledRule rule, string deviceId, string alarm, long now)
    {
        if (!_alarms.Remove((deviceId, alarm), out var active))
            return;
        _sink.Emit(new ClearAlarm(rule.Definition.Id, new DateTimeOffset(now, TimeSpan.Zero), deviceId, alarm, active.State == AlarmState.Acknowledged));
    }

    private long NextOccurrence(CompiledRule rule, DateTimeOffset after)
    {
        DateTimeOffset? next = rule.Cron is not null ? rule.Cron.Next(after)
            : rule.Sun is not null ? _sun.Next(rule.Sun.Event, after, rule.Sun.Offset)
            : null;
        return next?.UtcTicks ?? long.MaxValue;
    }

    private static CompiledAction Compile(RuleAction action, ExpressionCompiler compiler, SlotAllocator allocator, Dictionary<string, string> codes)
    {
        CompiledMessage Message(MessageTemplate template) =>
            new([.. template.Parts.Select(p => (p.Literal, p.Name, p.Expression is null ? null : compiler.Value(p.Expression)))]);

        return action switch
        {
            RaiseAlarmAction raise => new CompiledAction
            {
                Source = action, DeviceId = codes[raise.Device], Name = raise.Alarm, Severity = raise.Severity, Message = Message(raise.Message),
            },
            ClearAlarmAction clear => new CompiledAction { Source = action, DeviceId = codes[clear.Device], Name = clear.Alarm },
            WritePointAction write => new CompiledAction
            {
                Source = action, DeviceId = codes[write.Device], Name = write.Point, Value = compiler.Value(write.Value),
            },
            PublishEventAction publish => new CompiledAction
            {
                Source = action, DeviceId = publish.Device is null ? null : codes[publish.Device], Name = publish.Event, Message = Message(publish.Message),
            },
            SetVirtualPointAction set => new CompiledAction
            {
                Source = action, Name = set.Point, Value = compiler.Value(set.Value),
                Slot = allocator.PointSlot(RuleSetLoader.VirtualDevice, set.Point),
            },
            _ => throw new ArgumentException($"Unknown action {action.GetType().Name}.", nameof(action)),
        };
    }
}
