using System.Text.Json;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Core.Ledger;

namespace CivicEdge.Fleet.Server.Ledger;

/// <summary>
/// <c>/api/devices</c>: the device ledger. <c>GET</c> lists registered devices and the unregistered ones telemetry
/// revealed (the list's first six fields are those it always had), with filters; <c>POST</c> registers; <c>PATCH</c>
/// changes location, tags and the like; <c>…/lifecycle</c> and <c>…/decommission</c> move a device through its life.
/// Bodies use <see cref="LedgerJson"/>; errors are RFC 9457 problem details naming the field.
/// </summary>
internal static class LedgerEndpoints
{
    private const string Unregistered = "unregistered";

    public static IEndpointRouteBuilder MapLedgerEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var devices = endpoints.MapGroup("/api/devices");
        devices.MapGet("/", ListAsync);
        devices.MapPost("/", RegisterAsync);
        devices.MapGet("/{id}", FindAsync);
        devices.MapPatch("/{id}", PatchAsync);
        devices.MapPost("/{id}/lifecycle", LifecycleAsync);
        devices.MapPost("/{id}/decommission", DecommissionAsync);
        return endpoints;
    }

    /// <summary><c>GET /api/devices?kind=&amp;model=&amp;tenant=&amp;district=&amp;tag=&amp;state=&amp;firmware=&amp;gateway=&amp;capability=&amp;batch=&amp;registered=</c>.</summary>
    private static async Task<IResult> ListAsync(HttpRequest request, DeviceLedger ledger, CancellationToken cancellationToken)
    {
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

    private static async Task<IResult> RegisterAsync(HttpRequest request, DeviceLedger ledger, CancellationToken cancellationToken)
    {
        var (registration, problem) = await LedgerRequests.ReadAsync(request, LedgerJson.Default.DeviceRegistration, optional: false, cancellationToken);
        if (problem is not null)
            return problem;

        var result = await ledger.RegisterAsync(registration!, cancellationToken);
        return result.Succeeded
            ? TypedResults.Json(result.Value, LedgerJson.Default.DeviceAnswer, statusCode: StatusCodes.Status201Created)
            : LedgerRequests.Problem(result.Failure);
    }

    private static async Task<IResult> PatchAsync(string id, HttpRequest request, DeviceLedger ledger, CancellationToken cancellationToken)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException exception)
        {
            return LedgerRequests.Invalid("body", $"body: expected a JSON object (a merge patch), found text that is not JSON ({exception.Message})");
        }

        using (document)
        {
            var problems = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            var changes = DevicePatchReader.Read(document.RootElement, problems);
            if (problems.Count > 0)
                return LedgerRequests.Problem(LedgerFailure.Invalid("Invalid device change", problems));

            var result = await ledger.UpdateAsync(id, changes!, cancellationToken);
            return result.Succeeded ? TypedResults.Json(result.Value, LedgerJson.Default.DeviceAnswer) : LedgerRequests.Problem(result.Failure);
        }
    }

    private static async Task<IResult> LifecycleAsync(string id, HttpRequest request, DeviceLedger ledger, CancellationToken cancellationToken)
    {
        var (change, problem) = await LedgerRequests.ReadAsync(request, LedgerJson.Default.LifecycleRequest, optional: false, cancellationToken);
        if (problem is not null)
            return problem;

        var result = await ledger.ChangeStateAsync(id, change!, cancellationToken);
        return result.Succeeded ? TypedResults.Json(result.Value, LedgerJson.Default.LedgerDevice) : LedgerRequests.Problem(result.Failure);
    }

    /// <summary>Decommissioning is a lifecycle step whose state is implied; it revokes the device's credentials too.</summary>
    private static async Task<IResult> DecommissionAsync(string id, HttpRequest request, DeviceLedger ledger, CancellationToken cancellationToken)
    {
        var (change, problem) = await LedgerRequests.ReadAsync(request, LedgerJson.Default.LifecycleRequest, optional: false, cancellationToken);
        if (problem is not null)
            return problem;
        if (change!.State is { } state && state != LifecycleState.Decommissioned)
            return LedgerRequests.Invalid("state", $"state: expected none (or decommissioned) when decommissioning, found {LedgerNames.Of(state)}");

        var result = await ledger.ChangeStateAsync(id, change with { State = LifecycleState.Decommissioned }, cancellationToken);
        return result.Succeeded ? TypedResults.Json(result.Value, LedgerJson.Default.LedgerDevice) : LedgerRequests.Problem(result.Failure);
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
