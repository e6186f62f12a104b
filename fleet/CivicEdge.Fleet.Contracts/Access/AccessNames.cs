namespace CivicEdge.Fleet.Contracts.Access;

/// <summary>Roles, permissions and outcomes as the wire writes them (<c>regulator</c>, <c>changeTwin</c>), for messages to people.</summary>
public static class AccessNames
{
    public static string Of(FleetRole role) => Camel(role.ToString());

    public static string Of(FleetPermission permission) => Camel(permission.ToString());

    public static string Of(AuditOutcome outcome) => Camel(outcome.ToString());

    private static string Camel(string name) => string.Create(name.Length, name, (span, text) =>
    {
        text.AsSpan().CopyTo(span);
        span[0] = char.ToLowerInvariant(span[0]);
    });
}
