namespace CivicEdge.Gateway.Acquisition;

/// <summary>
/// The difference between the buses that run and the buses a new configuration wants, per bus: the desired state is
/// diffed into the fewest restarts, so that a change to one device leaves the other buses polling undisturbed and
/// the unchanged devices of its own bus keep their counters. Pure: it compares specs and does nothing.
/// </summary>
public sealed class ReconfigurationPlan
{
    private ReconfigurationPlan(IReadOnlyList<BusChange> changes) => Changes = changes;

    /// <summary>Every bus of either configuration: first the new configuration's in its order, then the removed ones.</summary>
    public IReadOnlyList<BusChange> Changes { get; }

    /// <summary>True when nothing changes.</summary>
    public bool IsEmpty => Changes.All(c => c.Kind == BusChangeKind.Unchanged);

    /// <summary>Compares the running buses with the wanted ones.</summary>
    public static ReconfigurationPlan Between(IReadOnlyList<BusSpec> running, IReadOnlyList<BusSpec> wanted)
    {
        ArgumentNullException.ThrowIfNull(running);
        ArgumentNullException.ThrowIfNull(wanted);
        var before = running.ToDictionary(b => b.Link.Id, StringComparer.Ordinal);
        var changes = new List<BusChange>(wanted.Count);
        foreach (var bus in wanted)
        {
            var ids = bus.Devices.Select(d => d.Id).ToList();
            if (!before.Remove(bus.Link.Id, out var old))
            {
                changes.Add(new BusChange(bus.Link.Id, BusChangeKind.Added, [], ids, []));
                continue;
            }

            var oldIds = old.Devices.Select(d => d.Id).ToList();
            if (old.Link != bus.Link)
            {
                changes.Add(new BusChange(bus.Link.Id, BusChangeKind.Relinked, [], ids, oldIds));
                continue;
            }

            var oldSpecs = old.Devices.ToDictionary(d => d.Id, StringComparer.Ordinal);
            var kept = bus.Devices.Where(d => oldSpecs.TryGetValue(d.Id, out var o) && o == d).Select(d => d.Id).ToList();
            var created = ids.Except(kept, StringComparer.Ordinal).ToList();
            var stopped = oldIds.Except(kept, StringComparer.Ordinal).ToList();
            var sameOrder = created.Count == 0 && stopped.Count == 0 && oldIds.SequenceEqual(ids, StringComparer.Ordinal);
            changes.Add(new BusChange(bus.Link.Id, sameOrder ? BusChangeKind.Unchanged : BusChangeKind.Regrouped, kept, created, stopped));
        }

        foreach (var removed in running.Where(b => before.ContainsKey(b.Link.Id)))
            changes.Add(new BusChange(removed.Link.Id, BusChangeKind.Removed, [], [], [.. removed.Devices.Select(d => d.Id)]));
        return new ReconfigurationPlan(changes);
    }

    public override string ToString() =>
        IsEmpty ? "no change" : string.Join("; ", Changes.Where(c => c.Kind != BusChangeKind.Unchanged).Select(Describe));

    private static string Describe(BusChange change) => change.Kind switch
    {
        BusChangeKind.Added => $"bus {change.BusId} added with {string.Join(", ", change.Created)}",
        BusChangeKind.Removed => $"bus {change.BusId} removed with {string.Join(", ", change.Stopped)}",
        BusChangeKind.Relinked => $"bus {change.BusId} reopened with new link settings",
        _ => $"bus {change.BusId}: " + string.Join(", ", new[]
        {
            change.Created.Count > 0 ? $"starts {string.Join(", ", change.Created)}" : null,
            change.Stopped.Except(change.Created).Any() ? $"stops {string.Join(", ", change.Stopped.Except(change.Created))}" : null,
            change.Created.Count == 0 && change.Stopped.Count == 0 ? "devices reordered" : null,
        }.OfType<string>()),
    };
}
