namespace CivicEdge.Rules.Language;

/// <summary>What the names of an expression may refer to: the devices of its rule set and their points.</summary>
public interface IExpressionScope
{
    /// <summary>Null when <paramref name="device"/> names a device of the rule set; else what is wrong, for an error message.</summary>
    string? CheckDevice(string device);

    /// <summary>Null when the point exists and has a numeric value; else what is wrong, for an error message.</summary>
    string? CheckPoint(string device, string point);
}
