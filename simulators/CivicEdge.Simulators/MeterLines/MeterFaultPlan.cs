namespace CivicEdge.Simulators.MeterLines;

/// <summary>Decides, request by request, which fault (if any) a meter line injects; one request at a time.</summary>
public sealed class MeterFaultPlan
{
    private readonly Random _random;
    private readonly List<(MeterFaultRule Rule, int Left)> _rules;
    private readonly DateTimeOffset _started;

    public MeterFaultPlan(Random random, IEnumerable<MeterFaultRule> rules, DateTimeOffset started)
    {
        ArgumentNullException.ThrowIfNull(rules);
        _random = random ?? throw new ArgumentNullException(nameof(random));
        _rules = [.. rules.Select(r => (r, r.Count ?? 0))];
        _started = started;
    }

    /// <summary>The fault for a request to the meter at <paramref name="address"/> at <paramref name="now"/>, or null for a proper answer.</summary>
    public MeterFaultRule? Next(string address, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(address);
        for (var i = 0; i < _rules.Count; i++)
        {
            var (rule, left) = _rules[i];
            if (rule.Address is not null && !SameAddress(rule.Address, address))
                continue;
            if (rule.Kind == MeterFaultKind.Gone)
            {
                if (now - _started >= rule.Delay)
                    return rule;
                continue;
            }
            if (rule.Count is not null)
            {
                if (left == 0)
                    continue;
                _rules[i] = (rule, left - 1);
                return rule;
            }
            if (_random.NextDouble() < rule.Probability)
                return rule;
        }
        return null;
    }

    public override string ToString() => string.Join(", ", _rules.Select(r => r.Rule.ToString()));

    /// <summary>Addresses compare as numbers, so that 5 and 005 are one M-Bus address.</summary>
    private static bool SameAddress(string a, string b) => a.TrimStart('0') == b.TrimStart('0');
}
