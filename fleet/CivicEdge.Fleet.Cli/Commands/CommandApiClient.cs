using System.Net.Http.Json;
using System.Text.Json.Serialization.Metadata;
using CivicEdge.Fleet.Contracts.Commands;

namespace CivicEdge.Fleet.Cli.Commands;

/// <summary>The fleet's <c>/api/commands</c> endpoints as the CLI uses them.</summary>
public sealed class CommandApiClient(FleetApiClient api)
{
    public Task<CommandBatch> SendAsync(CommandSubmission submission, TimeSpan? wait, CancellationToken cancellationToken)
    {
        var path = wait is { } w ? $"api/commands?wait={(int)Math.Ceiling(w.TotalSeconds)}" : "api/commands";
        return SendJsonAsync(HttpMethod.Post, path, JsonContent.Create(submission, CommandSubmissionJson.Default.CommandSubmission), CommandsJson.Default.CommandBatch, cancellationToken);
    }

    public Task<IReadOnlyList<CommandRecord>> ListAsync(string? device, string? state, int? limit, CancellationToken cancellationToken)
    {
        var query = new List<string>();
        if (device is not null)
            query.Add("device=" + Uri.EscapeDataString(device));
        if (state is not null)
            query.Add("state=" + Uri.EscapeDataString(state));
        if (limit is { } n)
            query.Add("limit=" + n.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return SendJsonAsync(HttpMethod.Get, "api/commands" + (query.Count > 0 ? "?" + string.Join('&', query) : string.Empty), null, CommandsJson.Default.IReadOnlyListCommandRecord, cancellationToken);
    }

    public Task<CommandRecord> ShowAsync(string id, CancellationToken cancellationToken) =>
        SendJsonAsync(HttpMethod.Get, CommandPath(id), null, CommandsJson.Default.CommandRecord, cancellationToken);

    public Task<CommandRecord> CancelAsync(string id, CancellationToken cancellationToken) =>
        SendJsonAsync(HttpMethod.Post, CommandPath(id) + "/cancel", null, CommandsJson.Default.CommandRecord, cancellationToken);

    private static string CommandPath(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return "api/commands/" + Uri.EscapeDataString(id);
    }

    private async Task<T> SendJsonAsync<T>(HttpMethod method, string path, HttpContent? content, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        using (content)
        {
            return await api.SendJsonAsync(method, path, content, typeInfo, cancellationToken).ConfigureAwait(false)
                ?? throw new FleetApiException($"The fleet at {api.BaseAddress} answered {path} with an empty body.");
        }
    }
}
