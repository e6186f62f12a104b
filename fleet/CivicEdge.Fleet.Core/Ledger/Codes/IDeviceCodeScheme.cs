using CivicEdge.Fleet.Contracts.Ledger;

namespace CivicEdge.Fleet.Core.Ledger.Codes;

/// <summary>
/// The rules a unified device code must follow (FR-01). Each province defines its own coding specification, so the
/// scheme is pluggable: the fleet checks every code it registers against the one configured in
/// <c>Fleet:Ledger:CodeScheme</c>.
/// </summary>
public interface IDeviceCodeScheme
{
    /// <summary>The scheme's configuration name, e.g. <c>province</c>.</summary>
    string Name { get; }

    /// <summary>What a valid code looks like, in words with an example, for error messages and <c>--help</c>.</summary>
    string Describe();

    /// <summary>Null when <paramref name="code"/> is valid for a device of <paramref name="kind"/>; otherwise what is wrong.</summary>
    /// <param name="code">The code as given.</param>
    /// <param name="kind">What the device is; a scheme may encode it in the code.</param>
    string? Check(string code, DeviceKind kind);
}
