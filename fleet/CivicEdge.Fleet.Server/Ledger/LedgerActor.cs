using CivicEdge.Fleet.Core.Ledger;
using CivicEdge.Fleet.Server.Access;

namespace CivicEdge.Fleet.Server.Ledger;

/// <summary>
/// Who did a ledger step, as its history and credentials record it: always the authenticated caller, never a name from
/// the body. A body's <c>by</c> or <c>installer</c> survives only as a note after the caller's name (a shared office
/// key used by a named person), so a record can never claim to be someone else's.
/// </summary>
internal static class LedgerActor
{
    public static string Of(HttpContext context, string? note)
    {
        var caller = context.Caller().Name;
        var trimmed = note?.Trim();
        if (string.IsNullOrEmpty(trimmed) || caller.Contains(trimmed, StringComparison.OrdinalIgnoreCase) || trimmed.Any(char.IsControl))
            return Fit(caller);

        var noted = $"{caller}, noted as '{trimmed}'";
        return noted.Length <= LedgerFields.MaxNameLength ? noted : Fit(caller);
    }

    /// <summary>A caller's name within the ledger's limit: an identity provider's subject can be long.</summary>
    private static string Fit(string name) =>
        name.Length <= LedgerFields.MaxNameLength ? name : string.Concat(name.AsSpan(0, LedgerFields.MaxNameLength - 1), "…");
}
