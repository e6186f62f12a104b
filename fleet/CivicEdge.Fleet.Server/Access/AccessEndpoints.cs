using System.Text.Json;
using CivicEdge.Fleet.Contracts.Access;
using CivicEdge.Fleet.Core.Access;
using CivicEdge.Fleet.Core.Audit;

namespace CivicEdge.Fleet.Server.Access;

/// <summary>
/// <c>/api/me</c> (who the fleet takes the caller for) and <c>/api/keys</c> (people's API keys: list, create, revoke).
/// A key's secret is shown once, in the answer that creates it. A tenant-scoped admin manages only keys within its
/// own tenants; only a city-wide admin makes city-wide keys.
/// </summary>
internal static class AccessEndpoints
{
    public const int MaxNameLength = 100;

    public static IEndpointRouteBuilder MapAccessEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/me", Me)
            .RequireAuthorization()
            .WithSummary("Who the fleet takes the caller for: name, role, tenants and permissions")
            .Produces<CallerInfo>()
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        var keys = endpoints.MapGroup("/api/keys").RequirePermission(FleetPermission.ManageKeys);
        keys.MapGet("/", ListAsync)
            .WithSummary("Every API key within the caller's tenants, revoked ones included; never a secret")
            .Produces<IReadOnlyList<ApiKeyInfo>>();
        keys.MapPost("/", CreateAsync)
            .WithSummary("Make an API key; the answer holds the key itself, shown this once")
            .Accepts<NewApiKey>("application/json")
            .Produces<IssuedApiKey>(StatusCodes.Status201Created)
            .ProducesValidationProblem();
        keys.MapDelete("/{keyId}", RevokeAsync)
            .WithSummary("Revoke an API key for good")
            .Produces<ApiKeyInfo>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return endpoints;
    }

    private static IResult Me(HttpContext context)
    {
        var caller = context.Caller();
        return TypedResults.Json(
            new CallerInfo(caller.Name, caller.Role, [.. caller.Scope.Tenants.Order(StringComparer.Ordinal)], caller.Scope.AllTenants, RolePermissions.Of(caller.Role), caller.Method),
            AccessJson.Default.CallerInfo);
    }

    private static async Task<IResult> ListAsync(HttpContext context, IApiKeyStore store, CancellationToken cancellationToken)
    {
        var caller = context.Caller();
        var keys = await store.ListKeysAsync(cancellationToken);
        return TypedResults.Json(
            keys.Where(key => caller.Scope.Includes(key.Scope)).Select(key => key.ToInfo()).ToList(),
            AccessJson.Default.IReadOnlyListApiKeyInfo);
    }

    private static async Task<IResult> CreateAsync(
        HttpContext context,
        IApiKeyStore store,
        IAuditTrail audit,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var caller = context.Caller();
        var now = timeProvider.GetUtcNow();
        var (request, problems) = await ReadAsync(context.Request, now, cancellationToken);
        if (request is null)
        {
            var detail = string.Join("; ", problems.Values.SelectMany(messages => messages));
            await audit.RecordAsync(AuditActions.KeyCreate, null, null, AuditOutcome.Failed, detail, cancellationToken);
            return TypedResults.ValidationProblem(problems, detail: detail, title: "Invalid API key request");
        }

        var scope = request.AllTenants ? TenantScope.CityWide : TenantScope.Of(request.Tenants!);
        if (!caller.Scope.Includes(scope))
        {
            var reason = $"a key may act only for tenants its maker acts for ({caller.Scope}), asked for {scope}";
            await audit.RecordAsync(AuditActions.KeyCreate, null, null, AuditOutcome.Denied, reason, cancellationToken);
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not permitted", detail: reason);
        }

        var token = ApiKeyToken.New();
        var key = new ApiKey(
            token.Id, token.HashSecret(), request.Name.Trim(), request.Role, [.. scope.Tenants.Order(StringComparer.Ordinal)], scope.AllTenants,
            now, caller.Name, request.ExpiresAt, null, null);
        if (!await store.AddKeyAsync(key, cancellationToken))
            throw new InvalidOperationException($"A new API key id {token.Id} collided with a stored one.");

        await audit.RecordAsync(
            AuditActions.KeyCreate, key.Id, scope.AllTenants || scope.Tenants.Count != 1 ? null : scope.Tenants.First(), AuditOutcome.Succeeded,
            $"{AccessNames.Of(key.Role)} key '{key.Name}' for {scope}, {(key.ExpiresAt is { } expires ? $"expires {expires.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}" : "no expiry")}", cancellationToken);
        return TypedResults.Json(new IssuedApiKey(token.ToString(), key.ToInfo()), AccessJson.Default.IssuedApiKey, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> RevokeAsync(
        string keyId,
        HttpContext context,
        IApiKeyStore store,
        IAuditTrail audit,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var caller = context.Caller();
        var key = await store.FindKeyAsync(keyId, cancellationToken);
        if (key is null || !caller.Scope.Includes(key.Scope))
        {
            await audit.RecordAsync(AuditActions.KeyRevoke, keyId, null, AuditOutcome.Failed, "no such key within the caller's tenants", cancellationToken);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Unknown API key",
                detail: $"keyId: expected the id of an API key within your tenants (the part after 'ce_'), found '{keyId}'");
        }

        var revoked = await store.RevokeKeyAsync(key.Id, timeProvider.GetUtcNow(), cancellationToken);
        var held = await store.FindKeyAsync(key.Id, cancellationToken) ?? key;
        await audit.RecordAsync(
            AuditActions.KeyRevoke, key.Id, null, revoked ? AuditOutcome.Succeeded : AuditOutcome.Failed,
            revoked ? $"{AccessNames.Of(key.Role)} key '{key.Name}' revoked" : $"already revoked at {held.RevokedAt:O}", cancellationToken);
        return TypedResults.Json(held.ToInfo(), AccessJson.Default.ApiKeyInfo);
    }

    private static async Task<(NewApiKey? Request, Dictionary<string, string[]> Problems)> ReadAsync(
        HttpRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        NewApiKey? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync(request.Body, AccessJson.Default.NewApiKey, cancellationToken);
        }
        catch (JsonException exception)
        {
            problems[exception.Path ?? "$"] = [$"{exception.Path ?? "$"}: expected {{\"name\", \"role\", \"tenants\" or \"allTenants\", \"expiresAt\"}}: {exception.Message}"];
            return (null, problems);
        }

        if (body is null)
        {
            problems["$"] = ["$: expected a JSON object, found null"];
            return (null, problems);
        }

        if (string.IsNullOrWhiteSpace(body.Name) || body.Name.Length > MaxNameLength || body.Name.Any(char.IsControl))
            problems["name"] = [$"name: expected 1 to {MaxNameLength} printable characters naming who holds the key, found '{body.Name}'"];
        var tenants = body.Tenants ?? [];
        if (body.AllTenants && tenants.Count > 0)
            problems["tenants"] = ["tenants: expected none with allTenants, found " + string.Join(", ", tenants)];
        else if (!body.AllTenants && tenants.Count == 0)
            problems["tenants"] = ["tenants: expected at least one tenant id, or allTenants: true, found none"];
        else if (tenants.FirstOrDefault(tenant => string.IsNullOrWhiteSpace(tenant) || tenant == TenantScope.AllTenantsMark || tenant.Any(char.IsControl)) is { } bad)
            problems["tenants"] = [$"tenants: expected tenant ids, found '{bad}'"];
        if (body.ExpiresAt is { } expires && expires <= now)
            problems["expiresAt"] = [$"expiresAt: expected a time after now ({now:O}), found {expires:O}"];
        return (problems.Count == 0 ? body : null, problems);
    }
}
