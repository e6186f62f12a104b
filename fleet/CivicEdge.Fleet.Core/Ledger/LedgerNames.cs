using System.Text.Json;
using CivicEdge.Fleet.Contracts.Ledger;

namespace CivicEdge.Fleet.Core.Ledger;

/// <summary>The names of the ledger's enumerations as the API writes them (camelCase), for messages and parsing.</summary>
public static class LedgerNames
{
    public static string Of(DeviceKind kind) => JsonNamingPolicy.CamelCase.ConvertName(kind.ToString());

    public static string Of(LifecycleState state) => JsonNamingPolicy.CamelCase.ConvertName(state.ToString());

    public static string Of(CredentialKind kind) => JsonNamingPolicy.CamelCase.ConvertName(kind.ToString());

    /// <summary>Every value, as the API writes them: <c>gateway, poleController, …</c>.</summary>
    public static string All<TEnum>()
        where TEnum : struct, Enum =>
        string.Join(", ", Enum.GetNames<TEnum>().Select(JsonNamingPolicy.CamelCase.ConvertName));

    /// <summary>
    /// Reads a value written as the API writes it, or as people type it: <c>poleController</c>, <c>PoleController</c>,
    /// <c>pole-controller</c> and <c>pole_controller</c> are one value.
    /// </summary>
    public static bool TryParse<TEnum>(string? text, out TEnum value)
        where TEnum : struct, Enum
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        var squeezed = text.Trim().Replace("-", string.Empty, StringComparison.Ordinal).Replace("_", string.Empty, StringComparison.Ordinal);
        return !squeezed.Any(char.IsDigit) && Enum.TryParse(squeezed, ignoreCase: true, out value) && Enum.IsDefined(value);
    }
}
