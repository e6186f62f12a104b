namespace CivicEdge.Fleet.Contracts.Access;

/// <summary>The answer to <c>POST /api/keys</c>: the key itself, shown this once, and what the fleet keeps of it.</summary>
/// <param name="Key">The whole key, <c>ce_&lt;id&gt;_&lt;secret&gt;</c>; the fleet keeps only a hash of the secret.</param>
/// <param name="Info">The key as listed from now on.</param>
public sealed record IssuedApiKey(string Key, ApiKeyInfo Info);
