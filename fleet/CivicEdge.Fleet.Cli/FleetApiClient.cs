using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CivicEdge.Fleet.Contracts;

namespace CivicEdge.Fleet.Cli;

/// <summary>The fleet's REST API as the CLI uses it. Failures become <see cref="FleetApiException"/> with a message for people.</summary>
public sealed class FleetApiClient(HttpClient http)
{
    public Uri BaseAddress => http.BaseAddress ?? throw new InvalidOperationException("The HTTP client has no base address.");

    public async Task<IReadOnlyList<DeviceSummary>> ListDevicesAsync(CancellationToken cancellationToken) =>
        await GetAsync("api/devices", ContractsJson.Default.IReadOnlyListDeviceSummary, cancellationToken) ?? [];

    public async Task<DeviceTelemetry> GetTelemetryAsync(
        string deviceId, DateTimeOffset? from, DateTimeOffset? to, int? limit, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(deviceId);
        var query = new List<string>();
        if (from is { } f)
            query.Add("from=" + Uri.EscapeDataString(f.ToString("O")));
        if (to is { } t)
            query.Add("to=" + Uri.EscapeDataString(t.ToString("O")));
        if (limit is { } l)
            query.Add("limit=" + l);
        var path = $"api/devices/{Uri.EscapeDataString(deviceId)}/telemetry" + (query.Count > 0 ? "?" + string.Join('&', query) : "");
        return await GetAsync(path, ContractsJson.Default.DeviceTelemetry, cancellationToken)
            ?? throw new FleetApiException($"The fleet at {BaseAddress} answered {path} with an empty body.");
    }

    private async Task<T?> GetAsync<T>(string path, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(path, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new FleetApiException($"Cannot reach the fleet at {BaseAddress}: {ex.Message}. Is civicedge-fleet running? Point elsewhere with --fleet URL or CIVIC_FLEET.", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new FleetApiException($"The fleet at {BaseAddress} did not answer {path} within {http.Timeout.TotalSeconds:0} s.", ex);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
                throw new FleetApiException(await DescribeFailureAsync(path, response, cancellationToken), response.StatusCode);
            try
            {
                return await response.Content.ReadFromJsonAsync(typeInfo, cancellationToken);
            }
            catch (JsonException ex)
            {
                throw new FleetApiException($"The fleet at {BaseAddress} answered {path} with JSON the CLI does not understand: {ex.Message}", ex);
            }
        }
    }

    private async Task<string> DescribeFailureAsync(string path, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var detail = string.Empty;
        try
        {
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            if (problem.RootElement.ValueKind == JsonValueKind.Object)
            {
                if (problem.RootElement.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String)
                    detail = d.GetString() ?? string.Empty;
                else if (problem.RootElement.TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String)
                    detail = t.GetString() ?? string.Empty;
            }
        }
        catch (JsonException)
        {
            // Not a problem-details body (RFC 9457); the status line says enough.
        }

        var status = $"{(int)response.StatusCode} {response.ReasonPhrase}";
        return response.StatusCode == HttpStatusCode.NotFound && detail.Length == 0
            ? $"The fleet at {BaseAddress} has no {path} ({status})."
            : $"The fleet at {BaseAddress} refused {path}: {status}{(detail.Length > 0 ? " — " + detail : "")}";
    }
}
