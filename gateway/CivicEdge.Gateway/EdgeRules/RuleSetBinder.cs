using CivicEdge.Rules.Documents;
using CivicEdge.Rules.Evaluation;

namespace CivicEdge.Gateway.EdgeRules;

/// <summary>
/// Binds a rule set's template devices (a model without an id) to the devices this gateway runs: a template device
/// matching one device of its model is bound to it; when one template device matches several (a gateway with six
/// lamps), the rule set runs once per device of that model, so every lamp is watched.
/// </summary>
public static class RuleSetBinder
{
    /// <summary>The bindings to run <paramref name="ruleSet"/> with, or a problem saying why it cannot run here.</summary>
    /// <param name="ruleSet">A validated rule set.</param>
    /// <param name="devices">The devices this gateway runs: unified device code and model.</param>
    /// <param name="problem">Why no binding fits, naming the device and its model.</param>
    public static IReadOnlyList<DeviceBinding> Bind(RuleSet ruleSet, IReadOnlyList<RunningDevice> devices, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(ruleSet);
        ArgumentNullException.ThrowIfNull(devices);
        problem = null;
        var templates = ruleSet.Devices.Where(d => d.DeviceId is null).ToList();
        if (templates.Count == 0)
            return [DeviceBinding.None];

        var candidates = templates.ToDictionary(
            t => t.Name,
            t => devices.Where(d => string.Equals(d.Model, t.Model, StringComparison.OrdinalIgnoreCase)).Select(d => d.DeviceId).Distinct(StringComparer.Ordinal).ToList(),
            StringComparer.Ordinal);
        if (templates.FirstOrDefault(t => candidates[t.Name].Count == 0) is { } missing)
        {
            problem = $"rule set {ruleSet.Id}: device '{missing.Name}' (model {missing.Model}) matches no device of this gateway; expected one, found devices of models {Models(devices)}";
            return [];
        }

        var several = templates.Where(t => candidates[t.Name].Count > 1).ToList();
        if (several.Count > 1)
        {
            problem = $"rule set {ruleSet.Id}: devices {string.Join(" and ", several.Select(t => $"'{t.Name}' ({t.Model}: {string.Join(", ", candidates[t.Name])})"))} each match several devices; expected at most one template device to match several, so that the binding is clear — name the ids in the rule set";
            return [];
        }

        var fixedCodes = templates.Where(t => candidates[t.Name].Count == 1).ToDictionary(t => t.Name, t => candidates[t.Name][0], StringComparer.Ordinal);
        if (several.Count == 0)
            return [new DeviceBinding(fixedCodes)];
        var spread = several[0];
        return [.. candidates[spread.Name].Select(code => new DeviceBinding(new Dictionary<string, string>(fixedCodes, StringComparer.Ordinal) { [spread.Name] = code }))];
    }

    private static string Models(IReadOnlyList<RunningDevice> devices) =>
        devices.Count == 0 ? "(none)" : string.Join(", ", devices.Select(d => d.Model).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal));
}
