using System.Globalization;
using System.Text.Json;
using CivicEdge.Fleet.Contracts.Access;
using CivicEdge.Fleet.Contracts.Ota;
using CivicEdge.Fleet.Core.Audit;
using CivicEdge.Fleet.Core.Ota;
using CivicEdge.Fleet.Server.Access;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CivicEdge.Fleet.Server.Ota;

/// <summary>
/// <c>/api/ota/campaigns</c>: create a campaign over a ledger query, list them, show one with its progress per wave and
/// per device and why it halted, and pause, resume, cancel it or retry its failed devices. A campaign confined to a
/// tenant is seen only by callers who see that tenant; one over every tenant only by an admin who sees them all.
/// </summary>
internal static class CampaignEndpoints
{
    public const string CampaignsPath = "api/ota/campaigns";

    public static IEndpointRouteBuilder MapCampaignEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var campaigns = endpoints.MapGroup("/" + CampaignsPath);
        campaigns.MapPost("/", CreateAsync)
            .RequirePermission(FleetPermission.ManageArtifacts)
            .WithSummary("Create a campaign: an uploaded artifact rolled out in waves over the devices a ledger query finds, halting by itself on a wave's failures")
            .Accepts<OtaCampaignRequest>("application/json")
            .Produces<OtaCampaign>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
        campaigns.MapGet("/", ListAsync)
            .RequirePermission(FleetPermission.ReadArtifacts)
            .WithSummary("Every campaign the caller sees, newest first, with its progress per wave")
            .Produces<IReadOnlyList<OtaCampaign>>();
        campaigns.MapGet("/{campaignId}", GetAsync)
            .RequirePermission(FleetPermission.ReadArtifacts)
            .WithSummary("One campaign: its state and why, its progress per wave and each device's state and reason")
            .Produces<OtaCampaign>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        MapChange(campaigns, "pause", "Pause a running campaign: no new offers; updates under way finish", (c, reason) => c.Pause(reason));
        MapChange(campaigns, "resume", "Resume a paused campaign", (c, _) => c.Resume());
        MapChange(campaigns, "cancel", "Cancel a campaign for good", (c, reason) => c.Cancel(reason));
        MapChange(campaigns, "retry", "Offer the update again to the devices that failed in the waves reached; a halted campaign runs again", (c, _) => c.RetryFailed());
        return endpoints;
    }

    public static OtaCampaign ToContract(StoredCampaign stored, bool withDevices)
    {
        var campaign = Campaign.Restore(stored.Campaign);
        return new OtaCampaign(
            campaign.Id,
            campaign.Manifest.ArtifactId,
            campaign.Manifest.Version,
            Name(campaign.State),
            campaign.Reason,
            campaign.CurrentWave + 1,
            stored.Tenant,
            stored.CreatedBy,
            campaign.CreatedAt,
            campaign.Progress().Select(w => new OtaCampaignWave(w.Index + 1, campaign.Settings.Waves[w.Index].ToString(), w.Size, w.Pending, w.InProgress, w.Succeeded, w.Failed)).ToList(),
            withDevices
                ? campaign.Devices.Select(d => new OtaCampaignDevice(
                    d.Device, d.Target.Addressee, d.Wave + 1, Name(d.State), d.Attempt, d.Target.RunningVersion, d.RunningVersion, d.BytesReceived, d.Reason)).ToList()
                : null,
            [.. campaign.Settings.Windows.Select(w => w.ToString()), .. campaign.Settings.Daylight is { } daylight ? [daylight.ToString()] : Array.Empty<string>()],
            campaign.Settings.UtcOffset,
            campaign.Settings.Location?.ToString())
        {
            Size = campaign.Manifest.Size,
        };
    }

    private static void MapChange(RouteGroupBuilder campaigns, string action, string summary, Action<Campaign, string?> change) =>
        campaigns.MapPost("/{campaignId}/" + action, (string campaignId, string? reason, HttpContext context, CampaignRunner runner, ICampaignStore store, IAuditTrail audit, CancellationToken cancellationToken) =>
                ChangeAsync(campaignId, action, reason, context, runner, store, audit, change, cancellationToken))
            .RequirePermission(FleetPermission.ManageArtifacts)
            .WithSummary(summary + "; an optional ?reason= is kept with it")
            .Produces<OtaCampaign>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

    private static async Task<IResult> CreateAsync(HttpContext context, CampaignRunner runner, IAuditTrail audit, CancellationToken cancellationToken)
    {
        var caller = context.Caller();
        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        OtaCampaignRequest? request = null;
        try
        {
            request = await JsonSerializer.DeserializeAsync(context.Request.Body, OtaJson.Default.OtaCampaignRequest, cancellationToken);
        }
        catch (JsonException exception)
        {
            problems["body"] = [$"body: expected a campaign as JSON ({{\"id\":…,\"artifactId\":…,\"kind\":…}}), found {exception.Message}"];
        }
        if (request is null)
        {
            problems.TryAdd("body", ["body: expected a campaign as JSON, found nothing"]);
            return await RefuseAsync(audit, null, problems, cancellationToken);
        }

        if (string.IsNullOrWhiteSpace(request.Id) || request.Id.Any(c => c is '/' or '+' or '#' || char.IsWhiteSpace(c) || char.IsControl(c)))
            problems["id"] = [$"id: expected one topic level of characters (no '/', '+', '#' or spaces), found '{request.Id}'"];
        if (string.IsNullOrWhiteSpace(request.ArtifactId))
            problems["artifactId"] = ["artifactId: expected an uploaded artifact such as pole-controller@2.4.0, found none"];
        if (request.Tenant is null ? !caller.Sees(null) : !caller.Sees(request.Tenant))
            problems["tenant"] = [$"tenant: expected one of the caller's tenants ({caller.Scope}), found {request.Tenant ?? "none (every tenant, which only an admin over every tenant may target)"}"];
        var settings = ReadSettings(request, problems);
        if (problems.Count > 0 || settings is null)
            return await RefuseAsync(audit, request.Id, problems, cancellationToken);

        var scope = new CampaignScope(request.Kind, request.Model, request.Tenant, request.District, request.Tags, request.FromVersion);
        try
        {
            var stored = await runner.CreateAsync(request.Id, request.ArtifactId, settings, scope, request.Tenant, caller.Name, cancellationToken);
            var created = ToContract(stored, withDevices: false);
            await audit.RecordAsync(AuditActions.CampaignCreate, stored.Id, stored.Tenant, AuditOutcome.Succeeded,
                $"{created.ArtifactId} over {stored.Campaign.Devices.Count} devices in waves {string.Join(", ", created.Waves.Select(w => $"{w.Reach} ({w.Devices})"))}", cancellationToken);
            return TypedResults.Created("/" + CampaignsPath + "/" + Uri.EscapeDataString(stored.Id), created);
        }
        catch (KeyNotFoundException exception)
        {
            problems["artifactId"] = [exception.Message];
            return await RefuseAsync(audit, request.Id, problems, cancellationToken);
        }
        catch (InvalidOperationException exception)
        {
            await audit.RecordAsync(AuditActions.CampaignCreate, request.Id, request.Tenant, AuditOutcome.Failed, exception.Message, cancellationToken);
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Campaign exists", detail: exception.Message);
        }
    }

    private static async Task<IResult> ListAsync(HttpContext context, ICampaignStore store, CancellationToken cancellationToken)
    {
        var caller = context.Caller();
        var visible = (await store.ListCampaignsAsync(cancellationToken)).Where(c => caller.Sees(c.Tenant)).Select(c => ToContract(c, withDevices: false)).ToList();
        return TypedResults.Json<IReadOnlyList<OtaCampaign>>(visible, OtaJson.Default.IReadOnlyListOtaCampaign);
    }

    private static async Task<IResult> GetAsync(string campaignId, HttpContext context, ICampaignStore store, CancellationToken cancellationToken) =>
        await store.FindCampaignAsync(campaignId, cancellationToken) is { } stored && context.Caller().Sees(stored.Tenant)
            ? TypedResults.Json(ToContract(stored, withDevices: true), OtaJson.Default.OtaCampaign)
            : NotFound(campaignId);

    private static async Task<IResult> ChangeAsync(
        string campaignId, string action, string? reason, HttpContext context, CampaignRunner runner, ICampaignStore store, IAuditTrail audit, Action<Campaign, string?> change, CancellationToken cancellationToken)
    {
        // A campaign outside the caller's tenants is answered as an unknown one, so that it does not leak.
        if (await store.FindCampaignAsync(campaignId, cancellationToken) is not { } found || !context.Caller().Sees(found.Tenant))
            return NotFound(campaignId);
        try
        {
            var changed = await runner.ChangeAsync(campaignId, campaign => change(campaign, reason), cancellationToken);
            await audit.RecordAsync(AuditActions.CampaignChange, campaignId, changed.Tenant, AuditOutcome.Succeeded, $"{action}{(reason is null ? "" : ": " + reason)}; now {Name(changed.Campaign.State)}", cancellationToken);
            return TypedResults.Json(ToContract(changed, withDevices: false), OtaJson.Default.OtaCampaign);
        }
        catch (KeyNotFoundException)
        {
            return NotFound(campaignId);
        }
        catch (InvalidOperationException exception)
        {
            await audit.RecordAsync(AuditActions.CampaignChange, campaignId, found.Tenant, AuditOutcome.Failed, $"{action} refused: {exception.Message}", cancellationToken);
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: $"Cannot {action}", detail: exception.Message);
        }
    }

    private static CampaignSettings? ReadSettings(OtaCampaignRequest request, Dictionary<string, string[]> problems)
    {
        var defaults = CampaignSettings.Default;
        var waves = new List<WaveSize>();
        foreach (var text in request.Waves ?? [])
        {
            if (WaveSize.TryParse(text, out var wave))
                waves.Add(wave);
            else
                problems["waves"] = [$"waves: expected each wave as a share such as 10% or a number of devices such as 5, found '{text}'"];
        }
        var windows = new List<MaintenanceWindow>();
        DaylightWindow? daylight = null;
        foreach (var text in request.Windows ?? [])
        {
            var parts = text.Split('-', 2, StringSplitOptions.TrimEntries);
            if (DaylightWindow.TryParse(text, out var sunlit))
            {
                if (daylight is not null)
                    problems["windows"] = [$"windows: expected at most one daylight window, found '{daylight}' and '{text}'"];
                daylight = sunlit;
            }
            else if (parts.Length == 2
                && TimeOnly.TryParseExact(parts[0], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start)
                && TimeOnly.TryParseExact(parts[1], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var end))
                windows.Add(new MaintenanceWindow(start, end));
            else
                problems["windows"] = [$"windows: expected local times such as 22:00-04:00, or daylight with an optional offset such as daylight+30m, found '{text}'"];
        }
        GeoPoint? location = null;
        if (request.Location is { } place)
        {
            if (!GeoPoint.TryParse(place, out var point))
                problems["location"] = [$"location: expected a latitude and a longitude in degrees such as 22.54,114.06, found '{place}'"];
            else if (daylight is null)
                problems["location"] = [$"location: only a daylight window uses a location, found '{place}' without one; add daylight to the windows or leave the location out"];
            else
                location = point;
        }
        if (problems.ContainsKey("waves") || problems.ContainsKey("windows") || problems.ContainsKey("location"))
            return null;

        var settings = new CampaignSettings(
            request.Waves is null ? defaults.Waves : waves,
            request.SoakTime ?? defaults.SoakTime,
            request.FailureThreshold ?? defaults.FailureThreshold,
            request.ConfirmTimeout ?? defaults.ConfirmTimeout,
            request.HealthWindow ?? defaults.HealthWindow,
            request.MaxConcurrentDownloads ?? defaults.MaxConcurrentDownloads,
            request.MaxConcurrentPerGateway ?? defaults.MaxConcurrentPerGateway,
            windows,
            request.UtcOffset ?? defaults.UtcOffset)
        {
            Daylight = daylight,
            Location = location,
        };
        foreach (var problem in settings.Problems())
        {
            var key = problem[..problem.IndexOf(':', StringComparison.Ordinal)];
            problems[key] = problems.TryGetValue(key, out var earlier) ? [.. earlier, problem] : [problem];
        }
        return problems.Count == 0 ? settings : null;
    }

    private static async Task<IResult> RefuseAsync(IAuditTrail audit, string? target, Dictionary<string, string[]> problems, CancellationToken cancellationToken)
    {
        var detail = string.Join("; ", problems.Values.SelectMany(messages => messages));
        await audit.RecordAsync(AuditActions.CampaignCreate, target, null, AuditOutcome.Failed, "refused: " + detail, cancellationToken);
        return TypedResults.ValidationProblem(problems, detail, title: "Invalid campaign");
    }

    private static ProblemHttpResult NotFound(string campaignId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown campaign", detail: $"No campaign '{campaignId}' is visible to the caller; civic ota campaign status lists those that are.");

    private static string Name<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();
}
