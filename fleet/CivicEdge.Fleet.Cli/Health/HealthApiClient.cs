using System.Net.Http.Json;
using System.Text.Json.Serialization.Metadata;
using CivicEdge.Fleet.Contracts.Alarms;
using CivicEdge.Fleet.Contracts.Health;

namespace CivicEdge.Fleet.Cli.Health;

/// <summary>The fleet's health and alarm endpoints as the CLI uses them.</summary>
public sealed class HealthApiClient(FleetApiClient api)
{
    public Task<HealthRollup> RollupAsync(IReadOnlyList<KeyValuePair<string, string>> filters, CancellationToken cancellationToken) =>
        GetAsync("api/health" + Query(filters), HealthJson.Default.HealthRollup, cancellationToken);

    public Task<IReadOnlyList<DeviceHealthStatus>> DevicesAsync(IReadOnlyList<KeyValuePair<string, string>> filters, CancellationToken cancellationToken) =>
        GetAsync("api/health/devices" + Query(filters), HealthJson.Default.IReadOnlyListDeviceHealthStatus, cancellationToken);

    public Task<DeviceHealthStatus> DeviceAsync(string device, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(device);
        return GetAsync($"api/devices/{Uri.EscapeDataString(device)}/health", HealthJson.Default.DeviceHealthStatus, cancellationToken);
    }

    public Task<PlanAssessment> AssessmentAsync(IReadOnlyList<KeyValuePair<string, string>> filters, CancellationToken cancellationToken) =>
        GetAsync("api/health/assessment" + Query(filters), HealthJson.Default.PlanAssessment, cancellationToken);

    public Task<IReadOnlyList<Alarm>> AlarmsAsync(IReadOnlyList<KeyValuePair<string, string>> filters, CancellationToken cancellationToken) =>
        GetAsync("api/alarms" + Query(filters), HealthJson.Default.IReadOnlyListAlarm, cancellationToken);

    public Task<Alarm> AlarmAsync(long id, CancellationToken cancellationToken) =>
        GetAsync($"api/alarms/{id}", HealthJson.Default.Alarm, cancellationToken);

    /// <summary>Posts a step: <c>acknowledge</c>, <c>assign</c>, <c>clear</c> or <c>close</c>.</summary>
    public async Task<Alarm> StepAsync(long id, string step, AlarmStepRequest request, CancellationToken cancellationToken)
    {
        var path = $"api/alarms/{id}/{step}";
        using var content = JsonContent.Create(request, HealthJson.Default.AlarmStepRequest);
        return await api.SendJsonAsync(HttpMethod.Post, path, content, HealthJson.Default.Alarm, cancellationToken).ConfigureAwait(false)
            ?? throw new FleetApiException($"The fleet at {api.BaseAddress} answered {path} with an empty body.");
    }

    private static string Query(IReadOnlyList<KeyValuePair<string, string>> filters) =>
        filters.Count == 0 ? string.Empty : "?" + string.Join('&', filters.Select(f => $"{f.Key}={Uri.EscapeDataString(f.Value)}"));

    private async Task<T> GetAsync<T>(string path, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken) =>
        await api.SendJsonAsync(HttpMethod.Get, path, null, typeInfo, cancellationToken).ConfigureAwait(false)
        ?? throw new FleetApiException($"The fleet at {api.BaseAddress} answered {path} with an empty body.");
}
