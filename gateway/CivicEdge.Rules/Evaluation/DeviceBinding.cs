using CivicEdge.Rules.Documents;

namespace CivicEdge.Rules.Evaluation;

/// <summary>
/// Which device each device name of a rule set stands for: a template names <c>lamp</c> without a code, and is bound
/// to <c>pole-0001</c> on one gateway and <c>pole-0002</c> on another. A code written in the rule set itself wins.
/// </summary>
public sealed class DeviceBinding
{
    private readonly Dictionary<string, string> _codes;

    public DeviceBinding(IReadOnlyDictionary<string, string> codes)
    {
        ArgumentNullException.ThrowIfNull(codes);
        _codes = new Dictionary<string, string>(codes, StringComparer.Ordinal);
    }

    /// <summary>No binding: every device of the rule set names its code itself.</summary>
    public static DeviceBinding None { get; } = new(new Dictionary<string, string>());

    /// <summary>The unified device code of <paramref name="device"/>.</summary>
    /// <exception cref="ArgumentException">Neither the rule set nor this binding gives one.</exception>
    public string CodeOf(RuleDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (device.DeviceId is { Length: > 0 } code)
            return code;
        if (_codes.TryGetValue(device.Name, out code) && code.Length > 0)
            return code;
        throw new ArgumentException(
            $"The rule set names device '{device.Name}' (model {device.Model}) without an id, and the binding gives none; bind it to a device code.",
            nameof(device));
    }
}
