namespace CivicEdge.Fleet.Server;

/// <summary>A file format telemetry is exported in.</summary>
/// <param name="Name">As the <c>format</c> parameter names it.</param>
/// <param name="ContentType">The media type of the response.</param>
/// <param name="Extension">The file name extension offered for download.</param>
/// <param name="Create">Makes a writer onto a response body, given the aggregates asked for.</param>
internal sealed record ExportFormat(string Name, string ContentType, string Extension, Func<Stream, IReadOnlyList<string>, TelemetryExportWriter> Create)
{
    public static readonly ExportFormat Csv = new("csv", "text/csv; charset=utf-8", "csv", (body, aggregates) => new CsvExportWriter(body, aggregates));

    public static readonly ExportFormat Json = new("json", "application/json; charset=utf-8", "json", (body, aggregates) => new JsonExportWriter(body, aggregates));

    /// <summary>The format named, <see cref="Csv"/> when none is; null for an unknown name.</summary>
    public static ExportFormat? Parse(string? name) => (name ?? Csv.Name) switch
    {
        "csv" => Csv,
        "json" => Json,
        _ => null,
    };
}
