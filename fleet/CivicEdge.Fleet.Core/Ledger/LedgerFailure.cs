namespace CivicEdge.Fleet.Core.Ledger;

/// <summary>A refusal: its kind, a title, and per field what was expected and what was found.</summary>
public sealed record LedgerFailure(LedgerFailureKind Kind, string Title, IReadOnlyDictionary<string, string[]> Problems)
{
    public static LedgerFailure Invalid(string title, Dictionary<string, List<string>> problems) =>
        new(LedgerFailureKind.Invalid, title, problems.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal));

    public static LedgerFailure Invalid(string title, string field, string problem) =>
        new(LedgerFailureKind.Invalid, title, new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [problem] });

    public static LedgerFailure NotFound(string field, string problem) =>
        new(LedgerFailureKind.NotFound, "Not in the ledger", new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [problem] });

    public static LedgerFailure Conflict(string title, string field, string problem) =>
        new(LedgerFailureKind.Conflict, title, new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [problem] });

    /// <summary>Every problem in one line.</summary>
    public string Detail => string.Join("; ", Problems.Values.SelectMany(messages => messages));
}
