using System.Text.Json;
using CivicEdge.Fleet.Contracts.Access;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Core.Access;
using CivicEdge.Fleet.Core.Audit;
using CivicEdge.Fleet.Core.Ledger;
using CivicEdge.Fleet.Server.Access;

namespace CivicEdge.Fleet.Server.Ledger;

/// <summary>
/// <c>/api/devices</c>: the device ledger. <c>GET</c> lists registered devices and the unregistered ones telemetry
/// revealed (the list's first six fields are those it always had), with filters; <c>POST</c> registers; <c>PATCH</c>
/// changes location, tags and the like; <c>…/lifecycle</c> and <c>…/decommission</c> move a device through its life.
/// Bodies use <see cref="LedgerJson"/>; errors are RFC 9457 problem details naming the field.
/// </summary>
/// <remarks>
/// Access as <see cref="FleetPolicies"/> lays down: the list holds the devices of the caller's tenants only (the scope is
/// part of the ledger query), a device of another tenant answers 404 like an unknown one, a caller registers devices
/// into its own tenants only, who did a step is the authenticated caller (<see cref="LedgerActor"/>), and every change
/// or refused change is audited.
/// </remarks>
internal static class LedgerEndpoints
{
    private const string Unregistered = "unregistered";

    public static IEndpointRouteBuilder MapLedgerEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var devices = endpoints.MapGroup("/api/devices");
        devices.MapGet("/", ListAsync)
            .RequirePermission(FleetPermission.ReadLedger)
            .WithSummary("The devices of the caller's tenants, registered and (for city-wide admins) seen in telemetry only, with filters")
            .Produces<IReadOnlyList<DeviceListItem>>()
            .ProducesValidationProblem();
        devices.MapPost("/", RegisterAsync)
            .RequirePermission(FleetPermission.RegisterDevices)
            .WithSummary("Register a device in one of the caller's tenants; duplicate sensing nearby comes back as warnings")
            .Accepts<DeviceRegistration>("application/json")
            .Produces<DeviceAnswer>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
        devices.MapGet("/{id}", FindAsync)
            .RequirePermission(FleetPermission.ReadLedger)
            .RequireDeviceScope()
            .WithSummary("One device: its ledger entry, what telemetry knows of it and its credentials (never a secret)")
            .Produces<DeviceDetails>();
        devices.MapPatch("/{id}", PatchAsync)
            .RequirePermission(FleetPermission.RegisterDevices)
            .RequireDeviceScope()
            .WithSummary("Change a device's entry with a JSON merge patch (location, tags, firmware, owner within the caller's tenants, …)")
            .Accepts<JsonElement>("application/merge-patch+json", "application/json")
            .Produces<DeviceAnswer>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
        devices.MapPost("/{id}/lifecycle", LifecycleAsync)
            .RequirePermission(FleetPermission.ChangeLifecycle)
            .RequireDeviceScope()
            .WithSummary("Move a device to another lifecycle state, recording the caller and the reason")
            .Accepts<LifecycleRequest>("application/json")
            .Produces<LedgerDevice>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
        devices.MapPost("/{id}/decommission", DecommissionAsync)
            .RequirePermission(FleetPermission.ChangeLifecycle)
            .RequireDeviceScope()
            .WithSummary("Decommission a device for good: its credentials are revoked and its broker sessions cut")
            .Accepts<LifecycleRequest>("application/json")
            .Produces<LedgerDevice>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
        return endpoints;
    }

    /// <summary><c>GET /api/devices?kind=&amp;model=&amp;tenant=&amp;district=&amp;tag=&amp;state=&amp;firmware=&amp;gateway=&amp;capability=&amp;batch=&amp;registered=</c>.</summary>
    private static async Task<IResult> ListAsync(HttpRequest request, DeviceLedger ledger, CancellationToken cancellationToken)
    {
        var caller = request.HttpContext.Caller();
        var query = request.Query;
        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var name in query.Keys.Where(name => !KnownParameters.Contains(name, StringComparer.Ordinal)))
            problems[name] = [$"{name}: expected one of {string.Join(", ", KnownParameters)}, found an unknown parameter"];

        var filter = new DeviceQuery
        {
            Kind = Enumeration<DeviceKind>("kind", query["kind"], problems),
            Model = Single("model", query["model"], problems),
            Tenant = Single("tenant", query["tenant"], problems),
            District = Single("district", query["district"], problems),
            Tags = query["tag"].Count == 0 ? null : query["tag"].Select(tag => (tag ?? string.Empty).Trim().ToLowerInvariant()).ToList(),
            Firmware = Single("firmware", query["firmware"], problems),
            Gateway = Single("gateway", query["gateway"], problems),
            Capability = Single("capability", query["capability"], problems)?.ToLowerInvariant(),
            Batch = Single("batch", query["batch"], problems),
        };

        bool? registered = null;
        if (Single("registered", query["registered"], problems) is { } registeredText)
        {
            if (bool.TryParse(registeredText, out var value))
                registered = value;
            else
                problems["registered"] = [$"registered: expected true or false, found '{registeredText}'"];
        }

        if (Single("state", query["state"], problems) is { } state)
        {
            if (string.Equals(state, Unregistered, StringComparison.OrdinalIgnoreCase))
            {
                if (registered == true)
                    problems["state"] = ["state: expected no state 'unregistered' together with registered=true"];
                registered = false;
            }
            else if (LedgerNames.TryParse<LifecycleState>(state, out var lifecycle))
            {
                filter = filter with { State = lifecycle };
            }
            else
            {
                problems["state"] = [$"state: expected one of {LedgerNames.All<LifecycleState>()} or {Unregistered}, found '{state}'"];
            }
        }

        if (problems.Count > 0)
            return TypedResults.ValidationProblem(problems, string.Join("; ", problems.Values.SelectMany(messages => messages)), title: "Invalid query parameter");

        // The caller's scope is part of the query: the store reads only its tenants' devices. Devices only seen in
        // telemetry have no owner yet, and only city-wide admins (who assign them) see those.
        if (!caller.Scope.AllTenants)
            filter = filter with { Tenants = caller.Scope.Tenants };
        if (!caller.Sees(null))
        {
            if (registered == false)
                return TypedResults.Json<IReadOnlyList<DeviceListItem>>([], LedgerJson.Default.IReadOnlyListDeviceListItem);
            registered = true;
        }

        var items = await ledger.ListAsync(filter, registered, cancellationToken);
        return TypedResults.Json(items, LedgerJson.Default.IReadOnlyListDeviceListItem);
    }

    private static async Task<IResult> FindAsync(string id, DeviceLedger ledger, CancellationToken cancellationToken) =>
        await ledger.DetailsAsync(id, cancellationToken) is { } details
            ? TypedResults.Json(details, LedgerJson.Default.DeviceDetails)
            : TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Unknown device",
                detail: $"id: expected a device registered in the ledger or seen in telemetry, found '{id}'");

    private static async Task<IResult> RegisterAsync(HttpContext context, DeviceLedger ledger, IAuditTrail audit, CancellationToken cancellationToken)
    {
        var (registration, problem) = await LedgerRequests.ReadAsync(context.Request, LedgerJson.Default.DeviceRegistration, optional: false, cancellationToken);
        var code = registration?.Code ?? string.Empty;
        if (problem is not null)
        {
            await audit.RecordRefusalAsync(AuditActions.DeviceRegister, code, null, "the body is not a device registration", cancellationToken);
            return problem;
        }

        var caller = context.Caller();
        var tenant = registration!.Tenant?.Trim();
        if (!string.IsNullOrEmpty(tenant) && !caller.Scope.Covers(tenant))
            return await OutsideTenantsAsync(audit, AuditActions.DeviceRegister, code, caller, tenant, cancellationToken);

        var result = await ledger.RegisterAsync(registration with { By = LedgerActor.Of(context, registration.By) }, cancellationToken);
        await audit.RecordAsync(
            AuditActions.DeviceRegister, code, tenant, result,
            answer => $"registered {LedgerNames.Of(answer.Device.Kind)} for {answer.Device.Tenant}; {answer.Warnings.Count} duplicate warnings",
            cancellationToken);
        return result.Succeeded
            ? TypedResults.Json(result.Value, LedgerJson.Default.DeviceAnswer, statusCode: StatusCodes.Status201Created)
            : LedgerRequests.Problem(result.Failure);
    }

    private static async Task<IResult> PatchAsync(string id, HttpContext context, DeviceLedger ledger, IAuditTrail audit, CancellationToken cancellationToken)
    {
        var tenant = context.TenantOfDevice();
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException exception)
        {
            await audit.RecordRefusalAsync(AuditActions.DeviceUpdate, id, tenant, "the body is not JSON", cancellationToken);
            return LedgerRequests.Invalid("body", $"body: expected a JSON object (a merge patch), found text that is not JSON ({exception.Message})");
        }

        using (document)
        {
            var problems = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            var changes = DevicePatchReader.Read(document.RootElement, problems);
            if (problems.Count > 0)
            {
                var failure = LedgerFailure.Invalid("Invalid device change", problems);
                await audit.RecordRefusalAsync(AuditActions.DeviceUpdate, id, tenant, failure.Detail, cancellationToken);
                return LedgerRequests.Problem(failure);
            }

            // Handing a device to another owner needs that owner in the caller's scope too.
            var caller = context.Caller();
            if (changes!.Tenant?.Value?.Trim() is { Length: > 0 } newTenant && !caller.Scope.Covers(newTenant))
                return await OutsideTenantsAsync(audit, AuditActions.DeviceUpdate, id, caller, newTenant, cancellationToken);

            var result = await ledger.UpdateAsync(id, changes, cancellationToken);
            await audit.RecordAsync(
                AuditActions.DeviceUpdate, id, tenant, result,
                answer => $"revision {answer.Device.Revision}: {string.Join(", ", document.RootElement.EnumerateObject().Select(property => property.Name))}"
                    + (answer.Device.Tenant != tenant ? $"; owner now {answer.Device.Tenant}" : string.Empty),
                cancellationToken);
            return result.Succeeded ? TypedResults.Json(result.Value, LedgerJson.Default.DeviceAnswer) : LedgerRequests.Problem(result.Failure);
        }
    }

    private static async Task<IResult> LifecycleAsync(string id, HttpContext context, DeviceLedger ledger, IAuditTrail audit, CancellationToken cancellationToken)
    {
        var tenant = context.TenantOfDevice();
        var (change, problem) = await LedgerRequests.ReadAsync(context.Request, LedgerJson.Default.LifecycleRequest, optional: false, cancellationToken);
        if (problem is not null)
        {
            await audit.RecordRefusalAsync(AuditActions.DeviceLifecycle, id, tenant, "the body is not a lifecycle change", cancellationToken);
            return problem;
        }

        var result = await ledger.ChangeStateAsync(id, change! with { By = LedgerActor.Of(context, change.By) }, cancellationToken);
        await audit.RecordAsync(AuditActions.DeviceLifecycle, id, tenant, result, Step, cancellationToken);
        return result.Succeeded ? TypedResults.Json(result.Value, LedgerJson.Default.LedgerDevice) : LedgerRequests.Problem(result.Failure);
    }

    /// <summary>Decommissioning is a lifecycle step whose state is implied; it revokes the device's credentials too.</summary>
    private static async Task<IResult> DecommissionAsync(string id, HttpContext context, DeviceLedger ledger, IAuditTrail audit, CancellationToken cancellationToken)
    {
        var tenant = context.TenantOfDevice();
        var (change, problem) = await LedgerRequests.ReadAsync(context.Request, LedgerJson.Default.LifecycleRequest, optional: false, cancellationToken);
        if (problem is not null)
        {
            await audit.RecordRefusalAsync(AuditActions.DeviceLifecycle, id, tenant, "the body is not a lifecycle change", cancellationToken);
            return problem;
        }

        if (change!.State is { } state && state != LifecycleState.Decommissioned)
        {
            var invalid = $"state: expected none (or decommissioned) when decommissioning, found {LedgerNames.Of(state)}";
            await audit.RecordRefusalAsync(AuditActions.DeviceLifecycle, id, tenant, invalid, cancellationToken);
            return LedgerRequests.Invalid("state", invalid);
        }

        var result = await ledger.ChangeStateAsync(
            id, change with { State = LifecycleState.Decommissioned, By = LedgerActor.Of(context, change.By) }, cancellationToken);
        await audit.RecordAsync(AuditActions.DeviceLifecycle, id, tenant, result, device => Step(device) + "; its credentials revoked", cancellationToken);
        return result.Succeeded ? TypedResults.Json(result.Value, LedgerJson.Default.LedgerDevice) : LedgerRequests.Problem(result.Failure);
    }

    private static string Step(LedgerDevice device)
    {
        var step = device.History[^1];
        return $"{(step.From is { } from ? LedgerNames.Of(from) : "none")} → {LedgerNames.Of(step.To)}: {step.Reason}";
    }

    /// <summary>403 for a tenant the caller does not act for: the caller named it, so nothing leaks by saying so.</summary>
    internal static async Task<IResult> OutsideTenantsAsync(
        IAuditTrail audit, string action, string target, FleetCaller caller, string tenant, CancellationToken cancellationToken)
    {
        var detail = $"tenant: expected one of the caller's tenants ({caller.Scope}), found '{LedgerFields.Printable(tenant)}'";
        await audit.RecordAsync(action, target, tenant, AuditOutcome.Denied, detail, cancellationToken);
        return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Outside the caller's tenants", detail: detail);
    }

    private static readonly string[] KnownParameters =
        ["kind", "model", "tenant", "district", "tag", "state", "firmware", "gateway", "capability", "batch", "registered"];

    private static string? Single(string name, Microsoft.Extensions.Primitives.StringValues values, Dictionary<string, string[]> problems)
    {
        if (values.Count == 0)
            return null;
        if (values.Count > 1)
            problems[name] = [$"{name}: expected one value, found {values.Count}"];
        return string.IsNullOrWhiteSpace(values[0]) ? null : values[0]!.Trim();
    }

    private static TEnum? Enumeration<TEnum>(string name, Microsoft.Extensions.Primitives.StringValues values, Dictionary<string, string[]> problems)
        where TEnum : struct, Enum
    {
        if (Single(name, values, problems) is not { } text)
            return null;
        if (LedgerNames.TryParse<TEnum>(text, out var value))
            return value;
        problems[name] = [$"{name}: expected one of {LedgerNames.All<TEnum>()}, found '{text}'"];
        return null;
    }
}
