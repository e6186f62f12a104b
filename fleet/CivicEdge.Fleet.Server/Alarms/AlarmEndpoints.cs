using System.Text.Json;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Access;
using CivicEdge.Fleet.Contracts.Alarms;
using CivicEdge.Fleet.Contracts.Commands;
using CivicEdge.Fleet.Contracts.Health;
using CivicEdge.Fleet.Core.Access;
using CivicEdge.Fleet.Core.Alarms;
using CivicEdge.Fleet.Core.Audit;
using CivicEdge.Fleet.Core.Ledger;
using CivicEdge.Fleet.Server.Access;
using CivicEdge.Fleet.Server.Commands;
using CivicEdge.Fleet.Server.Health;

namespace CivicEdge.Fleet.Server.Alarms;

/// <summary>
/// <c>/api/alarms</c>: the alarms of the caller's tenants' devices, newest first, and people's steps through an
/// alarm's lifecycle (acknowledge, assign, clear, close), each with a note, each audited. A step the lifecycle does not
/// allow is a 409 naming the steps that are; an alarm of another tenant's device answers 404 like an unknown one.
/// </summary>
internal static class AlarmEndpoints
{
    private const string Open = "open";
    private const int DefaultLimit = 500;
    private const int MaxLimit = 10_000;
    private const int MaxNoteLength = 1_000;

    private static readonly string[] ListParameters = ["state", "severity", "device", "type", "tenant", "district", "limit"];

    public static IEndpointRouteBuilder MapAlarmEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/alarms", ListAsync)
            .RequirePermission(FleetPermission.ReadTelemetry)
            .WithSummary("The alarms of the caller's tenants' devices, newest first; state=open|raised|acknowledged|assigned|cleared|closed (comma-separated), severity= at least, device, type, tenant, district, limit")
            .Produces<IReadOnlyList<Alarm>>()
            .ProducesValidationProblem();
        endpoints.MapGet("/api/alarms/{alarmId}", FindAsync)
            .RequirePermission(FleetPermission.ReadTelemetry)
            .WithSummary("One alarm with its history: who did what, when and why")
            .Produces<Alarm>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        foreach (var action in Enum.GetValues<AlarmAction>())
        {
            endpoints.MapPost($"/api/alarms/{{alarmId}}/{AlarmLifecycle.NameOf(action)}", (long alarmId, HttpContext context, CancellationToken cancellationToken) =>
                    StepAsync(alarmId, action, context, cancellationToken))
                .RequirePermission(FleetPermission.HandleAlarms)
                .WithSummary(Summary(action))
                .Accepts<AlarmStepRequest>("application/json")
                .Produces<Alarm>()
                .ProducesValidationProblem()
                .ProducesProblem(StatusCodes.Status404NotFound)
                .ProducesProblem(StatusCodes.Status409Conflict);
        }

        return endpoints;
    }

    private static string Summary(AlarmAction action) => action switch
    {
        AlarmAction.Acknowledge => "Acknowledges a raised alarm, with a note",
        AlarmAction.Assign => "Assigns an open alarm to a person or team (assignee), with a note; an assigned one may be handed on",
        AlarmAction.Clear => "Clears an open alarm by hand, with a note",
        _ => "Closes a cleared alarm, with a note; a closed alarm never changes again",
    };

    private static async Task<IResult> ListAsync(HttpContext context, IAlarmStore store, DeviceVisibility visibility, CancellationToken cancellationToken)
    {
        var query = new HealthQuery(context.Request.Query, ListParameters);
        var states = ReadStates(query);
        var severity = query.Enumeration<EventSeverity>("severity");
        var limit = query.Limit(DefaultLimit, MaxLimit);
        var filter = new AlarmQuery
        {
            States = states,
            MinSeverity = severity,
            Device = query.Text("device"),
            Type = query.Text("type"),
            Tenant = query.Text("tenant"),
            District = query.Text("district"),
            Limit = limit,
        };
        if (query.Problems.Count > 0)
            return DeviceEndpoints.InvalidQuery(query.Problems);

        var caller = context.Caller();
        IReadOnlyList<Alarm> alarms;
        if (caller.Sees(null))
        {
            alarms = await store.QueryAlarmsAsync(filter, cancellationToken);
        }
        else
        {
            // Other tenants' alarms may crowd the newest ones: filter all that match, then keep the limit.
            var all = await store.QueryAlarmsAsync(filter with { Limit = int.MaxValue }, cancellationToken);
            alarms = (await visibility.FilterAsync(caller, all, alarm => alarm.Device, cancellationToken)).Take(limit).ToList();
        }

        return TypedResults.Json(alarms, HealthJson.Default.IReadOnlyListAlarm);
    }

    private static async Task<IResult> FindAsync(long alarmId, HttpContext context, CancellationToken cancellationToken)
    {
        var (alarm, _, refusal) = await VisibleAlarmAsync(alarmId, context, cancellationToken);
        return refusal ?? TypedResults.Json(alarm!, HealthJson.Default.Alarm);
    }

    private static async Task<IResult> StepAsync(long alarmId, AlarmAction action, HttpContext context, CancellationToken cancellationToken)
    {
        var (alarm, tenant, refusal) = await VisibleAlarmAsync(alarmId, context, cancellationToken);
        if (refusal is not null)
            return refusal;

        var (request, problem) = await ReadRequestAsync(context.Request, action, cancellationToken);
        if (problem is not null)
            return problem;

        var services = context.RequestServices;
        var audit = services.GetRequiredService<IAuditTrail>();
        var caller = context.Caller();
        var outcome = await services.GetRequiredService<AlarmBook>().StepAsync(alarmId, action, caller.Name, request!.Note, request.Assignee?.Trim(), cancellationToken);
        var verb = AlarmLifecycle.NameOf(action);
        if (!outcome.Applied)
        {
            var state = outcome.Alarm?.State ?? alarm!.State;
            var allowed = outcome.Allowed.Count == 0 ? "none: it is closed" : string.Join(", ", outcome.Allowed.Select(AlarmLifecycle.NameOf));
            var detail = $"alarm {alarmId} is {AlarmLifecycle.NameOf(state)}: expected a step of {allowed}, found {verb}";
            await audit.RecordAsync(AuditAction(action), alarm!.Device, tenant, AuditOutcome.Failed, detail, cancellationToken);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Alarm step not allowed",
                detail: detail,
                extensions: new Dictionary<string, object?>
                {
                    ["state"] = AlarmLifecycle.NameOf(state),
                    ["allowed"] = outcome.Allowed.Select(AlarmLifecycle.NameOf).ToArray(),
                });
        }

        var done = outcome.Alarm!;
        await audit.RecordAsync(
            AuditAction(action), done.Device, tenant, AuditOutcome.Succeeded,
            $"alarm {done.Id} {done.Type}: {AlarmLifecycle.NameOf(done.State)}{(action == AlarmAction.Assign ? $" to {done.Assignee}" : string.Empty)}: {request.Note}",
            cancellationToken);
        if (action == AlarmAction.Acknowledge && done.Source == AlarmSource.Rule)
            await ForwardAcknowledgementAsync(done, tenant, caller.Name, services, cancellationToken);
        return TypedResults.Json(done, HealthJson.Default.Alarm);
    }

    /// <summary>
    /// An edge rule's alarm lives on at its gateway, whose rule engine acknowledges it too: the acknowledgement goes to the
    /// gateway as the command <c>acknowledge-alarm</c> {alarm, by}, queued (and audited) like any other command, so a
    /// gateway offline now hears it when it reconnects, before the command expires.
    /// </summary>
    private static async Task ForwardAcknowledgementAsync(Alarm alarm, string? tenant, string by, IServiceProvider services, CancellationToken cancellationToken)
    {
        var device = await services.GetRequiredService<DeviceLedger>().FindAsync(alarm.Device, cancellationToken);
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var expiry = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<CommandOptions>>().Value.DefaultExpiryPeriod;
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("alarm", alarm.Type);
            writer.WriteString("by", by);
            writer.WriteEndObject();
        }

        using var arguments = JsonDocument.Parse(buffer.WrittenMemory);
        var command = new CommandRecord(
            Guid.CreateVersion7(now).ToString("N"), alarm.Device, device?.Gateway ?? alarm.Device, tenant, AcknowledgeAlarmCommand,
            arguments.RootElement.Clone(), by, now, now + expiry, CommandState.Queued, null, null, null, null);
        await services.GetRequiredService<CommandDispatcher>().SubmitAsync([command], cancellationToken);
        await services.GetRequiredService<IAuditTrail>().RecordAsync(
            AuditActions.CommandSend, command.Target, tenant, AuditOutcome.Succeeded,
            $"{command.Name} {command.Arguments.GetRawText()} as command {command.Id} via {command.Addressee}, expires {command.ExpiresAt:O} (alarm {alarm.Id} acknowledged)",
            cancellationToken);
    }

    /// <summary>The command a gateway takes an edge rule's alarm acknowledgement with.</summary>
    public const string AcknowledgeAlarmCommand = "acknowledge-alarm";

    /// <summary>The alarm, its device's tenant, or the 404 an unknown alarm and another tenant's alike get (the latter audited).</summary>
    private static async Task<(Alarm? Alarm, string? Tenant, IResult? Refusal)> VisibleAlarmAsync(long alarmId, HttpContext context, CancellationToken cancellationToken)
    {
        var services = context.RequestServices;
        var alarm = await services.GetRequiredService<IAlarmStore>().FindAlarmAsync(alarmId, cancellationToken);
        if (alarm is null)
            return (null, null, NotFound(alarmId));

        var caller = context.Caller();
        var (visible, tenant) = await services.GetRequiredService<DeviceVisibility>().CheckAsync(caller, alarm.Device, cancellationToken);
        if (visible)
            return (alarm, tenant, null);

        await services.GetRequiredService<IAuditTrail>().RecordAsync(
            AuditActions.AccessDenied, alarm.Device, tenant, AuditOutcome.Denied,
            $"404 {context.Request.Method} {context.Request.Path}: alarm {alarmId} is about a device outside the caller's tenants ({caller.Scope})",
            cancellationToken);
        return (null, null, NotFound(alarmId));
    }

    private static async Task<(AlarmStepRequest? Request, IResult? Problem)> ReadRequestAsync(HttpRequest request, AlarmAction action, CancellationToken cancellationToken)
    {
        AlarmStepRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync(request.Body, HealthJson.Default.AlarmStepRequest, cancellationToken);
        }
        catch (JsonException exception)
        {
            return (null, Invalid("body", $"body: expected a JSON object such as {{\"note\": \"…\"}}, found text that does not read as one ({exception.Message})"));
        }

        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (body?.Note is not { } note || string.IsNullOrWhiteSpace(note))
            problems["note"] = ["note: expected why, for the people after you, found none"];
        else if (note.Length > MaxNoteLength)
            problems["note"] = [$"note: expected at most {MaxNoteLength} characters, found {note.Length}"];
        if (action == AlarmAction.Assign && string.IsNullOrWhiteSpace(body?.Assignee))
            problems["assignee"] = ["assignee: expected the person or team to assign the alarm to, found none"];
        if (problems.Count > 0)
            return (null, TypedResults.ValidationProblem(problems, string.Join("; ", problems.Values.SelectMany(m => m)), title: "Invalid alarm step"));
        return (body! with { Note = body!.Note!.Trim() }, null);
    }

    private static IResult Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, message, title: "Invalid alarm step");

    private static IResult NotFound(long alarmId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown alarm", detail: $"alarmId: expected an alarm of this fleet, found {alarmId}");

    private static string AuditAction(AlarmAction action) => action switch
    {
        AlarmAction.Acknowledge => AuditActions.AlarmAcknowledge,
        AlarmAction.Assign => AuditActions.AlarmAssign,
        AlarmAction.Clear => AuditActions.AlarmClear,
        _ => AuditActions.AlarmClose,
    };

    /// <summary><c>open</c> or a comma-separated list of states.</summary>
    private static IReadOnlySet<AlarmState>? ReadStates(HealthQuery query)
    {
        if (query.Text("state") is not { } text)
            return null;
        var states = new HashSet<AlarmState>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (string.Equals(part, Open, StringComparison.OrdinalIgnoreCase))
                states.UnionWith(AlarmQuery.OpenStates);
            else if (LedgerNames.TryParse<AlarmState>(part, out var state))
                states.Add(state);
            else
                query.Problems["state"] = [$"state: expected {Open} or any of {LedgerNames.All<AlarmState>()}, comma-separated, found '{part}'"];
        }

        return states;
    }
}
