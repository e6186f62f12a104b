using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Access;
using CivicEdge.Fleet.Core;
using CivicEdge.Fleet.Core.Access;
using CivicEdge.Fleet.Server.Access;

namespace CivicEdge.Fleet.Server;

/// <summary>
/// Telemetry over REST: <c>GET /api/devices/{id}/telemetry</c> (latest values and raw series, or aggregates per
/// interval), <c>GET /api/devices/{id}/telemetry/export</c> and <c>GET /api/telemetry/export</c> (CSV or JSON,
/// streamed, for one device or those a query selects). Errors are RFC 9457 problem details.
/// </summary>
internal static partial class TelemetryEndpoints
{
    private static readonly TimeSpan RawWindow = TimeSpan.FromHours(1);
    private static readonly TimeSpan RawExportWindow = TimeSpan.FromDays(1);

    public static IEndpointRouteBuilder MapTelemetryEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/devices/{id}/telemetry", TelemetryAsync)
            .RequirePermission(FleetPermission.ReadTelemetry)
            .RequireDeviceScope()
            .WithSummary("The latest value of every point of a device and its raw series, or aggregates per interval (raw: the last hour by default)")
            .Produces<DeviceTelemetry>()
            .Produces<AggregatedTelemetry>()
            .ProducesValidationProblem();
        endpoints.MapGet("/api/devices/{id}/telemetry/export", ExportDeviceAsync)
            .RequirePermission(FleetPermission.ReadTelemetry)
            .RequireDeviceScope()
            .WithSummary("One device's telemetry as a CSV or JSON file, streamed (raw: the last day by default)")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv", additionalContentTypes: ["application/json"])
            .ProducesValidationProblem();
        endpoints.MapGet("/api/telemetry/export", ExportDevicesAsync)
            .RequirePermission(FleetPermission.ReadTelemetry)
            .WithSummary("The telemetry of the devices named, behind a gateway or of a model, among the caller's tenants, as one CSV or JSON file")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv", additionalContentTypes: ["application/json"])
            .ProducesValidationProblem();
        return endpoints;
    }

    /// <summary><c>GET /api/devices/{id}/telemetry?from=&amp;to=&amp;limit=&amp;interval=&amp;aggregate=&amp;points=</c>.</summary>
    private static async Task<IResult> TelemetryAsync(
        string id,
        string? from,
        string? to,
        string? limit,
        string? interval,
        string? aggregate,
        string? points,
        IFleetStore store,
        ITelemetryHistory history,
        LiveValues live,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var query = TelemetryQuery.Parse(from, to, limit, interval, aggregate, points, timeProvider.GetUtcNow(), RawWindow, problems);
        if (problems.Count > 0)
            return DeviceEndpoints.InvalidQuery(problems);

        if (await store.FindDeviceAsync(id, cancellationToken) is null)
            return DeviceEndpoints.DeviceNotFound(id);

        if (query.Width is null)
        {
            var latest = live.Overlay(id, await store.GetLatestValuesAsync(id, cancellationToken));
            var series = await store.GetSeriesAsync(id, query.From, query.To, query.Limit, cancellationToken);
            return TypedResults.Json(
                new DeviceTelemetry(
                    id,
                    query.From,
                    query.To,
                    [.. latest.Where(value => Wanted(query, value.Point))],
                    [.. series.Where(value => Wanted(query, value.Point))]),
                ContractsJson.Default.DeviceTelemetry);
        }

        var aggregated = await history.AggregateAsync(query.ForDevice(id), cancellationToken);
        return TypedResults.Json(
            new AggregatedTelemetry(id, query.From, query.To, query.Interval, query.AggregateNames, aggregated),
            ContractsJson.Default.AggregatedTelemetry);
    }

    /// <summary><c>GET /api/devices/{id}/telemetry/export?format=csv|json</c> and the parameters of the telemetry query.</summary>
    private static async Task<IResult> ExportDeviceAsync(
        string id,
        string? format,
        string? from,
        string? to,
        string? interval,
        string? aggregate,
        string? points,
        IFleetStore store,
        ITelemetryHistory history,
        TimeProvider timeProvider,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var query = TelemetryQuery.Parse(from, to, null, interval, aggregate, points, timeProvider.GetUtcNow(), RawExportWindow, problems);
        var exportFormat = ParseFormat(format, problems);
        if (problems.Count > 0)
            return DeviceEndpoints.InvalidQuery(problems);

        if (await store.FindDeviceAsync(id, cancellationToken) is null)
            return DeviceEndpoints.DeviceNotFound(id);

        return Export([id], id, query, exportFormat, history, loggers.CreateLogger(typeof(TelemetryEndpoints).FullName!));
    }

    /// <summary>
    /// <c>GET /api/telemetry/export?devices=a,b&amp;gateway=&amp;model=&amp;format=csv|json</c>: every device named, or
    /// reporting through the gateway, or of the model (all given selectors must hold), and the telemetry query's parameters.
    /// </summary>
    private static async Task<IResult> ExportDevicesAsync(
        string? devices,
        string? gateway,
        string? model,
        string? format,
        string? from,
        string? to,
        string? interval,
        string? aggregate,
        string? points,
        HttpContext context,
        IFleetStore store,
        DeviceVisibility visibility,
        ITelemetryHistory history,
        TimeProvider timeProvider,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var query = TelemetryQuery.Parse(from, to, null, interval, aggregate, points, timeProvider.GetUtcNow(), RawExportWindow, problems);
        var exportFormat = ParseFormat(format, problems);
        var named = TelemetryQuery.ParseList(devices, "devices", "device ids", problems);
        if (named is null && string.IsNullOrEmpty(gateway) && string.IsNullOrEmpty(model) && !problems.ContainsKey("devices"))
            problems["devices"] = ["devices: expected devices=a,b, gateway= or model= to choose the devices to export, found none of them"];
        if (problems.Count > 0)
            return DeviceEndpoints.InvalidQuery(problems);

        var visible = await visibility.FilterAsync(context.Caller(), await store.ListDevicesAsync(cancellationToken), device => device.Id, cancellationToken);
        var selected = visible
            .Where(device => named is null || named.Contains(device.Id, StringComparer.Ordinal))
            .Where(device => string.IsNullOrEmpty(gateway) || device.Gateway == gateway)
            .Where(device => string.IsNullOrEmpty(model) || device.Model == model)
            .Select(device => device.Id)
            .ToList();
        if (named?.FirstOrDefault(id => !selected.Contains(id, StringComparer.Ordinal)) is { } unknown && gateway is null && model is null)
            return DeviceEndpoints.DeviceNotFound(unknown);

        return Export(selected, "telemetry", query, exportFormat, history, loggers.CreateLogger(typeof(TelemetryEndpoints).FullName!));
    }

    private static IResult Export(
        IReadOnlyList<string> deviceIds,
        string fileStem,
        TelemetryQuery query,
        ExportFormat format,
        ITelemetryHistory history,
        ILogger logger)
    {
        var fileName = $"{fileStem}-{query.From.UtcDateTime:yyyyMMdd'T'HHmm}-{query.To.UtcDateTime:yyyyMMdd'T'HHmm}.{format.Extension}";
        return TypedResults.Stream(
            async body =>
            {
                // Once the first bytes are out the status cannot change: a failure aborts the response, so the client
                // sees a broken transfer rather than a file that looks complete.
                var writer = format.Create(body, query.AggregateNames);
                await using (writer.ConfigureAwait(false))
                {
                    try
                    {
                        foreach (var deviceId in deviceIds)
                            await WriteDeviceAsync(writer, deviceId, query, history, CancellationToken.None).ConfigureAwait(false);
                        await writer.CompleteAsync(CancellationToken.None).ConfigureAwait(false);
                    }
                    catch (Exception exception) when (exception is not OperationCanceledException)
                    {
                        LogExportFailed(logger, fileStem, exception);
                        throw;
                    }
                }
            },
            format.ContentType,
            fileName);
    }

    private static async Task WriteDeviceAsync(TelemetryExportWriter writer, string deviceId, TelemetryQuery query, ITelemetryHistory history, CancellationToken cancellationToken)
    {
        if (query.Width is null)
        {
            await foreach (var sample in history.ReadSamplesAsync(deviceId, query.Points, query.From, query.To, cancellationToken).ConfigureAwait(false))
                await writer.WriteSampleAsync(sample, cancellationToken).ConfigureAwait(false);
            return;
        }

        foreach (var series in await history.AggregateAsync(query.ForDevice(deviceId), cancellationToken).ConfigureAwait(false))
        {
            foreach (var bucket in series.Buckets)
                await writer.WriteBucketAsync(deviceId, series, bucket, cancellationToken).ConfigureAwait(false);
        }
    }

    private static ExportFormat ParseFormat(string? format, Dictionary<string, string[]> problems)
    {
        if (ExportFormat.Parse(format) is { } known)
            return known;
        problems["format"] = [$"format: expected csv or json, found '{format}'"];
        return ExportFormat.Csv;
    }

    private static bool Wanted(TelemetryQuery query, string point) => query.Points is null || query.Points.Contains(point);

    [LoggerMessage(Level = LogLevel.Error, Message = "Telemetry export {Export} failed part way; the response was aborted")]
    private static partial void LogExportFailed(ILogger logger, string export, Exception exception);
}
