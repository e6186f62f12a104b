using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CivicEdge.Fleet.Contracts;

namespace CivicEdge.Fleet.Cli;

/// <summary>
/// The fleet's REST API (and a gateway's local API) as the CLI uses it. Failures become <see cref="FleetApiException"/>
/// with a message for people.
/// </summary>
/// <param name="http">The client, with the base address of the fleet (or gateway).</param>
/// <param name="peer">What answers there, for messages: "the fleet" or "the gateway".</param>
/// <param name="hint">What to check when it cannot be reached.</param>
public sealed partial class FleetApiClient(
    HttpClient http,
    string peer = "the fleet",
    string hint = "Is civicedge-fleet running? Point elsewhere with --fleet URL or CIVIC_FLEET.")
{
    public Uri BaseAddress => http.BaseAddress ?? throw new InvalidOperationException("The HTTP client has no base address.");

    public async Task<DeviceTelemetry> GetTelemetryAsync(
        string deviceId, DateTimeOffset? from, DateTimeOffset? to, int? limit, CancellationToken cancellationToken, string? points = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(deviceId);
        var path = TelemetryPath(deviceId, "telemetry", from, to, ("limit", limit?.ToString(CultureInfo.InvariantCulture)), ("points", points));
        return await GetAsync(path, ContractsJson.Default.DeviceTelemetry, cancellationToken)
            ?? throw new FleetApiException($"{Peer} at {BaseAddress} answered {path} with an empty body.");
    }

    /// <summary>Aggregates of a device's points per <paramref name="interval"/> (<c>1m</c>, <c>15m</c>, <c>1h</c>, <c>1d</c>).</summary>
    public async Task<AggregatedTelemetry> GetAggregatedTelemetryAsync(
        string deviceId, DateTimeOffset? from, DateTimeOffset? to, string interval, string? aggregate, string? points, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(deviceId);
        ArgumentException.ThrowIfNullOrEmpty(interval);
        var path = TelemetryPath(deviceId, "telemetry", from, to, ("interval", interval), ("aggregate", aggregate), ("points", points));
        return await GetAsync(path, ContractsJson.Default.AggregatedTelemetry, cancellationToken)
            ?? throw new FleetApiException($"{Peer} at {BaseAddress} answered {path} with an empty body.");
    }

    /// <summary>
    /// Copies the fleet's CSV export of a device's telemetry (raw, or per <paramref name="interval"/>) to
    /// <paramref name="output"/> as it arrives.
    /// </summary>
    public async Task ExportCsvAsync(
        string deviceId, DateTimeOffset? from, DateTimeOffset? to, string? interval, string? aggregate, string? points, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(deviceId);
        ArgumentNullException.ThrowIfNull(output);
        var path = TelemetryPath(deviceId, "telemetry/export", from, to, ("format", "csv"), ("interval", interval), ("aggregate", aggregate), ("points", points));
        using var response = await SendForResponseAsync(path, () => http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cancellationToken), cancellationToken);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        var buffer = new char[16 * 1024];
        try
        {
            int read;
            while ((read = await reader.ReadAsync(buffer, cancellationToken)) > 0)
                await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new FleetApiException($"{Peer} at {BaseAddress} broke off the export {path}: {ex.Message}; what was written is incomplete.", ex);
        }
        catch (IOException ex)
        {
            throw new FleetApiException($"{Peer} at {BaseAddress} broke off the export {path}: {ex.Message}; what was written is incomplete.", ex);
        }

        await output.FlushAsync(cancellationToken);
    }

    private static string TelemetryPath(string deviceId, string resource, DateTimeOffset? from, DateTimeOffset? to, params (string Name, string? Value)[] parameters)
    {
        var query = new List<string>();
        if (from is { } f)
            query.Add("from=" + Uri.EscapeDataString(f.ToString("O")));
        if (to is { } t)
            query.Add("to=" + Uri.EscapeDataString(t.ToString("O")));
        foreach (var (name, value) in parameters)
        {
            if (value is not null)
                query.Add($"{name}={Uri.EscapeDataString(value)}");
        }

        return $"api/devices/{Uri.EscapeDataString(deviceId)}/{resource}" + (query.Count > 0 ? "?" + string.Join('&', query) : "");
    }

    public async Task<DeviceTwin> GetTwinAsync(string deviceId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(deviceId);
        var path = $"api/devices/{Uri.EscapeDataString(deviceId)}/twin";
        return await GetAsync(path, ContractsJson.Default.DeviceTwin, cancellationToken)
            ?? throw new FleetApiException($"{Peer} at {BaseAddress} answered {path} with an empty body.");
    }

    /// <summary>Sends <paramref name="json"/> as the device's desired configuration; the fleet answers with the new version.</summary>
    public async Task<DesiredState> SetDesiredAsync(string deviceId, string json, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(deviceId);
        ArgumentNullException.ThrowIfNull(json);
        var path = $"api/devices/{Uri.EscapeDataString(deviceId)}/twin/desired";
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        return await SendAsync(path, () => http.PutAsync(path, content, cancellationToken), ContractsJson.Default.DesiredState, cancellationToken)
            ?? throw new FleetApiException($"{Peer} at {BaseAddress} answered {path} with an empty body.");
    }

    /// <summary>The health report a gateway serves on its local API (<c>GET /status</c>); <see cref="BaseAddress"/> is the gateway's.</summary>
    public async Task<HealthReport> GetGatewayStatusAsync(CancellationToken cancellationToken) =>
        await GetAsync("status", ContractsJson.Default.HealthReport, cancellationToken)
            ?? throw new FleetApiException($"{Peer} at {BaseAddress} answered status with an empty body.");

    /// <summary>Sends <paramref name="content"/> (or nothing) with <paramref name="method"/> and reads the answer as <typeparamref name="T"/>.</summary>
    internal async Task<T?> SendJsonAsync<T>(
        HttpMethod method, string path, HttpContent? content, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        return await SendAsync(path, () => http.SendAsync(request, cancellationToken), typeInfo, cancellationToken);
    }

    /// <summary>
    /// Like <see cref="SendJsonAsync"/> for a request whose body takes as long as its bytes take (an OTA upload): the
    /// client's answer timeout would cut off a large upload on a slow link, so it is lifted for this one request; the
    /// caller's token still cancels it.
    /// </summary>
    internal async Task<T?> SendBulkAsync<T>(
        HttpMethod method, string path, HttpContent content, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        http.Timeout = Timeout.InfiniteTimeSpan;
        return await SendJsonAsync(method, path, content, typeInfo, cancellationToken);
    }

    private Task<T?> GetAsync<T>(string path, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken) =>
        SendAsync(path, () => http.GetAsync(path, cancellationToken), typeInfo, cancellationToken);

    private async Task<T?> SendAsync<T>(
        string path, Func<Task<HttpResponseMessage>> send, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        using var response = await SendForResponseAsync(path, send, cancellationToken);
        try
        {
            return await response.Content.ReadFromJsonAsync(typeInfo, cancellationToken);
        }
        catch (JsonException ex)
        {
            throw new FleetApiException($"{Peer} at {BaseAddress} answered {path} with JSON the CLI does not understand: {ex.Message}", ex);
        }
    }

    /// <summary>Sends a request; a successful response is the caller's to read and dispose, any other becomes a <see cref="FleetApiException"/>.</summary>
    private async Task<HttpResponseMessage> SendForResponseAsync(string path, Func<Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await send();
        }
        catch (HttpRequestException ex)
        {
            throw new FleetApiException($"Cannot reach {peer} at {BaseAddress}: {ex.Message}. {hint}", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new FleetApiException($"{Peer} at {BaseAddress} did not answer {path} within {http.Timeout.TotalSeconds:0} s.", ex);
        }

        if (response.IsSuccessStatusCode)
            return response;

        using (response)
            throw new FleetApiException(await DescribeFailureAsync(path, response, cancellationToken), response.StatusCode);
    }

    private string Peer => char.ToUpperInvariant(peer[0]) + peer[1..];

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
        var hint = response.StatusCode == HttpStatusCode.Unauthorized
            ? (detail.Length > 0 && !detail.EndsWith('.') ? ". " : " ") + CivicConfigFile.KeyHint
            : "";
        return response.StatusCode == HttpStatusCode.NotFound && detail.Length == 0
            ? $"{Peer} at {BaseAddress} has no {path} ({status})."
            : $"{Peer} at {BaseAddress} refused {path}: {status}{(detail.Length > 0 ? " — " + detail : "")}{hint}";
    }
}
