namespace CivicEdge.Modbus;

/// <summary>
/// The faults a simulated slave injects, decided request by request. Set at construction and changed at run time
/// (<see cref="Add"/>, <see cref="Clear"/>) while the server is serving; thread-safe. Rules are tried in the order
/// they were added and the first that fires decides, so a request meets at most one fault.
/// </summary>
public sealed class FaultPlan
{
    private readonly Lock _gate = new();
    private readonly Random _random;
    private readonly List<Entry> _entries = [];
    private readonly long[] _injected = new long[Enum.GetValues<ModbusFaultKind>().Length];

    /// <param name="random">Where chance comes from; a seeded one repeats a run. Default: a shared random source.</param>
    /// <param name="rules">The rules to start with.</param>
    public FaultPlan(Random? random = null, IEnumerable<ModbusFaultRule>? rules = null)
    {
        _random = random ?? Random.Shared;
        foreach (var rule in rules ?? [])
            Add(rule);
    }

    /// <summary>The rules still in force, in the order they are tried.</summary>
    public IReadOnlyList<ModbusFaultRule> Rules
    {
        get
        {
            lock (_gate)
                return [.. _entries.Select(e => e.Rule)];
        }
    }

    /// <summary>Adds a rule after the others.</summary>
    /// <exception cref="ArgumentException">The rule's values are out of range.</exception>
    public void Add(ModbusFaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        rule.Validate();
        lock (_gate)
            _entries.Add(new Entry(rule, rule.Count));
    }

    /// <summary>Removes the rules of one unit, or every rule when <paramref name="unit"/> is null.</summary>
    public void Clear(byte? unit = null)
    {
        lock (_gate)
            _entries.RemoveAll(e => unit is null || e.Rule.Unit == unit);
    }

    /// <summary>How many requests have met a fault of <paramref name="kind"/> so far.</summary>
    public long Injected(ModbusFaultKind kind) => Interlocked.Read(ref _injected[(int)kind]);

    /// <summary>Decides the fate of one request to <paramref name="unit"/>: the rule that fires, or null for a clean answer.</summary>
    public ModbusFaultRule? Draw(byte unit)
    {
        lock (_gate)
        {
            for (int i = 0; i < _entries.Count; i++)
            {
                var entry = _entries[i];
                if (entry.Rule.Unit is { } target && target != unit)
                    continue;
                if (entry.Rule.Probability < 1 && _random.NextDouble() >= entry.Rule.Probability)
                    continue;

                // A rule limited to N requests counts the requests it hit and retires after the last.
                if (entry.Remaining is { } remaining)
                {
                    if (remaining <= 1)
                        _entries.RemoveAt(i);
                    else
                        _entries[i] = entry with { Remaining = remaining - 1 };
                }

                Interlocked.Increment(ref _injected[(int)entry.Rule.Kind]);
                return entry.Rule;
            }
        }

        return null;
    }

    /// <summary>Fills <paramref name="destination"/> with random bytes for a <see cref="ModbusFaultKind.Garbage"/> fault.</summary>
    public void FillGarbage(Span<byte> destination)
    {
        lock (_gate)
            _random.NextBytes(destination);
    }

    public override string ToString()
    {
        var rules = Rules;
        return rules.Count == 0 ? "no faults" : string.Join("; ", rules);
    }

    private readonly record struct Entry(ModbusFaultRule Rule, int? Remaining);
}
