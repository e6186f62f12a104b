using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using CivicEdge.Fleet.Contracts.Access;
using CivicEdge.Fleet.Contracts.Commands;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Core.Audit;
using CivicEdge.Fleet.Core.Commands;
using CivicEdge.Fleet.Core.Ledger;
using CivicEdge.Fleet.Server.Access;
using Microsoft.Extensions.Options;

namespace CivicEdge.Fleet.Server.Commands;

/// <summary>
/// <c>/api/commands</c>: commands to one device, a list of devices or the devices a ledger query finds, one record per
/// target. <c>POST ?wait=10s</c> holds the request until every command is final or the wait ends (200 when all are
/// final, else 202 with the records to poll). Targets outside the caller's tenants are as unknown ones (404); every
/// command, and every refused request, is audited. Errors are RFC 9457 problem details naming the field.
/// </summary>
internal static partial class CommandEndpoints
{
    private const int DefaultListLimit = 100;
    private const int MaxListLimit = 1000;

    public static IEndpointRouteBuilder MapCommandEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var commands = endpoints.MapGroup("/api/commands");
        commands.MapPost("/", SendAsync)
            .RequirePermission(FleetPermission.SendCommands)
            .WithSummary("Send a command to a device, a list of devices or the devices of a ledger query; ?wait=10s waits for the results")
            .Accepts<CommandSubmission>("application/json")
            .Produces<CommandBatch>()
            .Produces<CommandBatch>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        commands.MapGet("/", ListAsync)
            .RequirePermission(FleetPermission.ReadLedger)
            .WithSummary("Commands, oldest first (the newest `limit`), by target device and state")
            .Produces<IReadOnlyList<CommandRecord>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        commands.MapGet("/{commandId}", GetAsync)
            .RequirePermission(FleetPermission.ReadLedger)
            .WithSummary("One command: what was asked, by whom, where it stands and the device's result")
            .Produces<CommandRecord>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        commands.MapPost("/{commandId}/cancel", CancelAsync)
            .RequirePermission(FleetPermission.SendCommands)
            .WithSummary("Cancel a command that is still queued (a sent command cannot be recalled)")
            .Produces<CommandRecord>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return endpoints;
    }

    private static async Task<IResult> SendAsync(
        HttpContext context,
        DeviceLedger ledger,
        CommandDispatcher dispatcher,
        IAuditTrail audit,
        IOptions<CommandOptions> options,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var caller = context.Caller();
        var settings = options.Value;
        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var wait = ReadWait(context.Request.Query["wait"], settings, problems);

        CommandSubmission? submission = null;
        try
        {
            submission = await JsonSerializer.DeserializeAsync(context.Request.Body, CommandSubmissionJson.Default.CommandSubmission, cancellationToken);
        }
        catch (JsonException exception)
        {
            problems["body"] = [$"body: expected a command as JSON ({{\"device\":…,\"name\":…,\"arguments\":{{…}}}}), found {exception.Message}"];
        }

        if (submission is null && problems.Count == 0)
            problems["body"] = ["body: expected a command as JSON, found nothing"];
        if (submission is not null)
            Check(submission, settings, problems);
        if (problems.Count > 0)
            return await RefuseAsync(audit, submission?.Device, problems, cancellationToken);

        var (targets, missing) = await ResolveTargetsAsync(submission!, caller, ledger, cancellationToken);
        if (missing is not null)
        {
            await audit.RecordAsync(AuditActions.CommandSend, submission!.Device, null, AuditOutcome.Failed, $"refused {submission.Name}: {missing}", cancellationToken);
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown target", detail: missing);
        }

        if (targets.Count > settings.MaxTargets)
        {
            problems["query"] = [$"query: expected at most {settings.MaxTargets} target devices (Fleet:Commands:MaxTargets), found {targets.Count}; narrow the query"];
            return await RefuseAsync(audit, null, problems, cancellationToken);
        }

        var now = timeProvider.GetUtcNow();
        var expiresAt = now + (submission!.ExpiresInSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : settings.DefaultExpiryPeriod);
        var arguments = submission.Arguments ?? EmptyObject();
        var records = targets.Select(device => new CommandRecord(
            Guid.CreateVersion7(now).ToString("N"),
            device.Code,
            device.Gateway ?? device.Code,
            device.Tenant,
            submission.Name!,
            arguments,
            caller.Name,
            now,
            expiresAt,
            CommandState.Queued,
            null,
            null,
            null,
            null)).ToList();

        await dispatcher.SubmitAsync(records, cancellationToken);
        var argumentText = arguments.GetRawText();
        foreach (var record in records)
        {
            await audit.RecordAsync(
                AuditActions.CommandSend, record.Target, record.Tenant, AuditOutcome.Succeeded,
                $"{record.Name} {argumentText} as command {record.Id} via {record.Addressee}, expires {record.ExpiresAt:O}", cancellationToken);
        }

        var current = await dispatcher.WaitAsync([.. records.Select(r => r.Id)], wait is { } w ? now + w : now, cancellationToken);
        var complete = current.All(c => c.IsFinal);
        var batch = new CommandBatch(current, complete);
        return complete
            ? TypedResults.Json(batch, CommandsJson.Default.CommandBatch)
            : TypedResults.Json(batch, CommandsJson.Default.CommandBatch, statusCode: StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> ListAsync(HttpContext context, ICommandStore store, Core.Access.IDeviceTenancy tenancy, IAuditTrail audit, CancellationToken cancellationToken)
    {
        var caller = context.Caller();
        var query = context.Request.Query;
        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        string[] known = ["device", "state", "limit"];
        foreach (var name in query.Keys.Where(name => !known.Contains(name, StringComparer.Ordinal)))
            problems[name] = [$"{name}: expected one of {string.Join(", ", known)}, found an unknown parameter"];

        var device = query["device"].Count == 0 ? null : query["device"].ToString();
        IReadOnlyList<CommandState>? states = null;
        if (query["state"].Count > 0)
        {
            var parsed = new List<CommandState>();
            foreach (var text in query["state"].SelectMany(value => (value ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
            {
                if (LedgerNames.TryParse<CommandState>(text, out var state))
                    parsed.Add(state);
                else
                    problems["state"] = [$"state: expected one of {string.Join(", ", Enum.GetValues<CommandState>().Select(Name))}, found '{text}'"];
            }

            states = parsed;
        }

        var limit = DefaultListLimit;
        if (query["limit"].Count > 0 && (!int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxListLimit))
            problems["limit"] = [$"limit: expected a whole number of commands from 1 to {MaxListLimit}, found '{query["limit"]}'"];
        if (problems.Count > 0)
            return DeviceEndpoints.InvalidQuery(problems);

        if (device is not null && !caller.Sees(await tenancy.FindTenantAsync(device, cancellationToken)))
        {
            await audit.RecordAsync(AuditActions.AccessDenied, device, null, AuditOutcome.Denied,
                $"404 GET /api/commands?device={device}: the device is unknown or outside the caller's tenants ({caller.Scope})", cancellationToken);
            return DeviceEndpoints.DeviceNotFound(device);
        }

        // Scoped after the store's limit for a device (one tenant); across devices the caller's view is filtered first.
        var commands = await store.ListCommandsAsync(new CommandQuery { Target = device, States = states, Limit = device is null && !caller.Sees(null) ? null : limit }, cancellationToken);
        var visible = commands.Where(command => caller.Sees(command.Tenant)).ToList();
        if (visible.Count > limit)
            visible = visible[^limit..];
        return TypedResults.Json<IReadOnlyList<CommandRecord>>(visible, CommandsJson.Default.IReadOnlyListCommandRecord);
    }

    private static async Task<IResult> GetAsync(string commandId, HttpContext context, ICommandStore store, IAuditTrail audit, CancellationToken cancellationToken)
    {
        var command = await store.FindCommandAsync(commandId, cancellationToken);
        if (command is null)
            return CommandNotFound(commandId);
        if (!context.Caller().Sees(command.Tenant))
            return await DeniedAsync(context, audit, command, cancellationToken);
        return TypedResults.Json(command, CommandsJson.Default.CommandRecord);
    }

    private static async Task<IResult> CancelAsync(string commandId, HttpContext context, CommandDispatcher dispatcher, ICommandStore store, IAuditTrail audit, CancellationToken cancellationToken)
    {
        var caller = context.Caller();
        var found = await store.FindCommandAsync(commandId, cancellationToken);
        if (found is null)
            return CommandNotFound(commandId);
        if (!caller.Sees(found.Tenant))
            return await DeniedAsync(context, audit, found, cancellationToken);

        var (command, cancelled) = await dispatcher.CancelAsync(commandId, caller.Name, cancellationToken);
        if (!cancelled)
        {
            await audit.RecordAsync(AuditActions.CommandCancel, found.Target, found.Tenant, AuditOutcome.Failed,
                $"command {commandId} is {Name(command!.State)}, not queued", cancellationToken);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Not cancellable",
                detail: $"state: expected a queued command to cancel, found command {commandId} {Name(command.State)}{(command.SentAt is { } sent ? $" (sent at {sent:O})" : string.Empty)}");
        }

        await audit.RecordAsync(AuditActions.CommandCancel, command!.Target, command.Tenant, AuditOutcome.Succeeded, $"command {commandId} ({command.Name}) cancelled", cancellationToken);
        return TypedResults.Json(command, CommandsJson.Default.CommandRecord);
    }

    private static void Check(CommandSubmission submission, CommandOptions settings, Dictionary<string, string[]> problems)
    {
        var ways = (submission.Device is not null ? 1 : 0) + (submission.Devices is not null ? 1 : 0) + (submission.Query is not null ? 1 : 0);
        if (ways != 1)
            problems["device"] = [$"device, devices, query: expected exactly one way of naming the targets, found {ways}"];
        if (submission.Device is { Length: 0 })
            problems["device"] = ["device: expected a device code, found an empty string"];
        if (submission.Devices is { } devices)
        {
            if (devices.Count == 0)
                problems["devices"] = ["devices: expected at least one device code, found an empty list"];
            for (var i = 0; i < devices.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(devices[i]))
                    problems[$"devices[{i}]"] = [$"devices[{i}]: expected a device code, found '{devices[i]}'"];
            }

            if (devices.Distinct(StringComparer.Ordinal).Count() != devices.Count)
                problems["devices"] = ["devices: expected each device once, found repeats"];
        }

        if (submission.Query is { Tenant: null, District: null, Kind: null, Tags: null or [] })
            problems["query"] = ["query: expected at least one of tenant, district, kind, tags (a query for every device is refused), found none"];
        if (string.IsNullOrEmpty(submission.Name) || !CommandName().IsMatch(submission.Name))
            problems["name"] = [$"name: expected a command name of letters, digits, '-' and '_' starting with a letter (write, read, switch, dim), found '{submission.Name}'"];
        if (submission.Arguments is { } arguments && arguments.ValueKind != JsonValueKind.Object)
            problems["arguments"] = [$"arguments: expected a JSON object such as {{\"point\":\"lamp_relay\",\"value\":1}}, found {arguments.ValueKind.ToString().ToLowerInvariant()}"];
        if (submission.ExpiresInSeconds is { } seconds && (seconds < 1 || TimeSpan.FromSeconds(seconds) > settings.MaxExpiryPeriod))
            problems["expiresInSeconds"] = [$"expiresInSeconds: expected 1 to {settings.MaxExpiryPeriod.TotalSeconds:0} (Fleet:Commands:MaxExpiry), found {seconds}"];
    }

    private static async Task<(List<LedgerDevice> Targets, string? Missing)> ResolveTargetsAsync(
        CommandSubmission submission, Core.Access.FleetCaller caller, DeviceLedger ledger, CancellationToken cancellationToken)
    {
        if (submission.Query is { } query)
        {
            var found = await ledger.QueryAsync(
                new DeviceQuery
                {
                    Tenant = query.Tenant,
                    District = query.District,
                    Kind = query.Kind,
                    Tags = query.Tags?.Select(tag => tag.Trim().ToLowerInvariant()).ToList() is { Count: > 0 } tags ? tags : null,
                },
                cancellationToken);
            var targets = found.Where(device => device.State != LifecycleState.Decommissioned && caller.Sees(device.Tenant)).ToList();
            return targets.Count == 0
                ? (targets, "query: expected at least one device in the caller's tenants that is not decommissioned, found none")
                : (targets, null);
        }

        var codes = submission.Device is { } one ? [one] : submission.Devices!;
        var resolved = new List<LedgerDevice>(codes.Count);
        foreach (var code in codes)
        {
            var device = await ledger.FindAsync(code, cancellationToken);

            // A device outside the caller's tenants is answered like an unknown one, so that its existence does not leak.
            if (device is null || !caller.Sees(device.Tenant))
                return (resolved, $"device: expected a device of the ledger in the caller's tenants, found '{code}'");
            if (device.State == LifecycleState.Decommissioned)
                return (resolved, $"device: expected a device in service, found '{code}' decommissioned");
            resolved.Add(device);
        }

        return (resolved, null);
    }

    private static TimeSpan? ReadWait(Microsoft.Extensions.Primitives.StringValues value, CommandOptions settings, Dictionary<string, string[]> problems)
    {
        if (value.Count == 0 || string.IsNullOrEmpty(value))
            return null;
        var text = value.ToString();
        TimeSpan wait;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            wait = TimeSpan.FromSeconds(seconds);
        else if (!RetentionOptions.TryParsePeriod(text, out wait))
            wait = TimeSpan.MinValue;
        if (wait < TimeSpan.Zero || wait > settings.MaxWaitPeriod)
        {
            problems["wait"] = [$"wait: expected seconds or a period such as 10s, at most {settings.MaxWait} (Fleet:Commands:MaxWait), found '{text}'"];
            return null;
        }

        return wait;
    }

    private static async Task<IResult> RefuseAsync(IAuditTrail audit, string? target, Dictionary<string, string[]> problems, CancellationToken cancellationToken)
    {
        var detail = string.Join("; ", problems.Values.SelectMany(messages => messages));
        await audit.RecordAsync(AuditActions.CommandSend, target, null, AuditOutcome.Failed, "refused: " + detail, cancellationToken);
        return TypedResults.ValidationProblem(problems, detail, title: "Invalid command");
    }

    /// <summary>A command to a device outside the caller's tenants: audited, and answered as an unknown one so that it does not leak.</summary>
    private static async Task<IResult> DeniedAsync(HttpContext context, IAuditTrail audit, CommandRecord command, CancellationToken cancellationToken)
    {
        await audit.RecordAsync(
            AuditActions.AccessDenied, command.Target, command.Tenant, AuditOutcome.Denied,
            $"404 {context.Request.Method} {context.Request.Path}: the command's device is outside the caller's tenants ({context.Caller().Scope})",
            cancellationToken);
        return CommandNotFound(command.Id);
    }

    private static IResult CommandNotFound(string id) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status404NotFound,
            title: "Unknown command",
            detail: $"commandId: expected a command sent to a device in the caller's tenants, found '{id}'");

    private static JsonElement EmptyObject()
    {
        using var document = JsonDocument.Parse("{}");
        return document.RootElement.Clone();
    }

    private static string Name(CommandState state) => JsonNamingPolicy.CamelCase.ConvertName(state.ToString());

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{0,63}$")]
    private static partial Regex CommandName();
}
