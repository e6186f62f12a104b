namespace CivicEdge.Fleet.Core.Access;

/// <summary>The outcome of checking an API key: the caller it stands for, or why it was refused.</summary>
/// <param name="Key">The stored key when it was found (usable or not).</param>
/// <param name="Problem">Why it was refused, for the caller and the audit log; null when accepted.</param>
public sealed record ApiKeyCheck(ApiKey? Key, string? Problem)
{
    public bool Accepted => Problem is null && Key is not null;
}
