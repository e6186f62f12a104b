using CivicEdge.Fleet.Contracts.Ledger;

namespace CivicEdge.Fleet.Contracts.Ota;

/// <summary>
/// <c>POST /api/ota/campaigns</c>: roll an uploaded artifact out over the devices a ledger query finds. Everything but
/// the id and the artifact has a default (waves 1 %, 10 %, 50 %, 100 %; 30 min soak; halt above 5 % failed).
/// </summary>
/// <param name="Id">The campaign's id, one topic level of characters.</param>
/// <param name="ArtifactId">The artifact, e.g. <c>pole-controller@2.4.0</c>.</param>
/// <param name="Waves">Cumulative waves, <c>1%</c> or a number of devices, the last <c>100%</c>.</param>
/// <param name="SoakTime">How long a passed wave waits before the next.</param>
/// <param name="FailureThreshold">The share of a wave (0–1) that may fail before the campaign halts by itself.</param>
/// <param name="ConfirmTimeout">How long a device has from the offer to confirming.</param>
/// <param name="HealthWindow">How long a device must stay healthy on the new version to count as a success.</param>
/// <param name="MaxConcurrentDownloads">The most devices downloading at once.</param>
/// <param name="MaxConcurrentPerGateway">The most devices behind one gateway downloading at once.</param>
/// <param name="Windows">
/// Maintenance windows in local time, <c>22:00-04:00</c>, and at most one <c>daylight</c> window (<c>daylight+45m</c>: from
/// sunrise + 45 min to sunset − 45 min at each device's place; 30 min when no offset is given); a device is offered only
/// while every kind given is open. None for any time.
/// </param>
/// <param name="UtcOffset">The city's offset from UTC the windows are read in.</param>
/// <param name="Kind">Devices of this kind.</param>
/// <param name="Model">Devices of this hardware model.</param>
/// <param name="Tenant">One tenant's devices; required of a caller who does not see every tenant.</param>
/// <param name="District">Devices in this district.</param>
/// <param name="Tags">Devices with every one of these tags.</param>
/// <param name="FromVersion">Devices the ledger says run this version.</param>
/// <param name="Location">For a daylight window: where a device the ledger has no latitude and longitude for is taken to be, <c>22.54,114.06</c>; without it such devices are held.</param>
public sealed record OtaCampaignRequest(
    string Id,
    string ArtifactId,
    IReadOnlyList<string>? Waves = null,
    TimeSpan? SoakTime = null,
    double? FailureThreshold = null,
    TimeSpan? ConfirmTimeout = null,
    TimeSpan? HealthWindow = null,
    int? MaxConcurrentDownloads = null,
    int? MaxConcurrentPerGateway = null,
    IReadOnlyList<string>? Windows = null,
    TimeSpan? UtcOffset = null,
    DeviceKind? Kind = null,
    string? Model = null,
    string? Tenant = null,
    string? District = null,
    IReadOnlyList<string>? Tags = null,
    string? FromVersion = null,
    string? Location = null);
