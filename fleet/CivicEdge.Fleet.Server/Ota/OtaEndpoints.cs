using CivicEdge.Fleet.Contracts.Access;
using CivicEdge.Fleet.Contracts.Ota;
using CivicEdge.Fleet.Core.Audit;
using CivicEdge.Fleet.Core.Ota;
using CivicEdge.Fleet.Server.Access;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace CivicEdge.Fleet.Server.Ota;

/// <summary>
/// <c>/api/ota/artifacts</c>: upload a signed package (checked before anything is stored), list, show and delete
/// artifacts, and download a payload or a whole package with HTTP range requests (RFC 9110 §14; the ETag is the
/// payload's SHA-256, so <c>If-Range</c> resumes only the same bytes). Artifacts are city-wide: firmware is not a
/// tenant's data. A device downloads with its own ledger credential (Basic) the manifest, payload and package of an
/// artifact a live campaign offers it, and nothing else. Errors are RFC 9457 problem details.
/// </summary>
internal static class OtaEndpoints
{
    public const string ArtifactsPath = "api/ota/artifacts";

    public static IEndpointRouteBuilder MapOtaEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var artifacts = endpoints.MapGroup("/" + ArtifactsPath);
        artifacts.MapPost("/", UploadAsync)
            .RequirePermission(FleetPermission.ManageArtifacts)
            .WithSummary("Upload a signed .cota package; its signature, manifest, size and SHA-256 are checked before anything is stored")
            .Accepts<byte[]>(OtaPackageFormat.MediaType, "application/octet-stream")
            .Produces<OtaArtifact>(StatusCodes.Status201Created)
            .Produces<OtaArtifact>()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        artifacts.MapGet("/", ListAsync)
            .RequirePermission(FleetPermission.ReadArtifacts)
            .WithSummary("Every artifact, newest upload first")
            .Produces<IReadOnlyList<OtaArtifact>>();
        artifacts.MapGet("/{artifactId}", GetAsync)
            .RequirePermission(FleetPermission.ReadArtifacts)
            .AllowDeviceDownload()
            .WithSummary("One artifact: its manifest, signer and upload")
            .Produces<OtaArtifact>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        artifacts.MapGet("/{artifactId}/payload", DownloadPayloadAsync)
            .RequirePermission(FleetPermission.ReadArtifacts)
            .AllowDeviceDownload()
            .WithSummary("The payload alone, as installers fetch it; answers Range requests with 206 and If-Range on its ETag (the SHA-256)")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .Produces(StatusCodes.Status206PartialContent, contentType: "application/octet-stream")
            .Produces(StatusCodes.Status416RangeNotSatisfiable)
            .ProducesProblem(StatusCodes.Status404NotFound);
        artifacts.MapGet("/{artifactId}/package", DownloadPackageAsync)
            .RequirePermission(FleetPermission.ReadArtifacts)
            .AllowDeviceDownload()
            .WithSummary("The whole signed package (head and payload), for civic ota verify or a local install; answers Range requests")
            .Produces(StatusCodes.Status200OK, contentType: OtaPackageFormat.MediaType)
            .Produces(StatusCodes.Status206PartialContent, contentType: OtaPackageFormat.MediaType)
            .Produces(StatusCodes.Status416RangeNotSatisfiable)
            .ProducesProblem(StatusCodes.Status404NotFound);
        artifacts.MapDelete("/{artifactId}", DeleteAsync)
            .RequirePermission(FleetPermission.ManageArtifacts)
            .WithSummary("Delete an artifact and its payload")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return endpoints;
    }

    /// <summary>Where the REST API shows an artifact; '@' is a valid path character (RFC 3986 §3.3) and stays readable.</summary>
    public static string PathOf(string artifactId) => ArtifactsPath + "/" + Uri.EscapeDataString(artifactId).Replace("%40", "@", StringComparison.Ordinal);

    public static OtaArtifact ToContract(StoredArtifact artifact) => new(
        artifact.Id, artifact.Manifest, artifact.Signature, artifact.UploadedBy, artifact.UploadedAt,
        PathOf(artifact.Id) + "/payload", PathOf(artifact.Id) + "/package");

    private static async Task<IResult> UploadAsync(HttpContext context, ArtifactIntake intake, IOptions<OtaOptions> options, CancellationToken cancellationToken)
    {
        // Kestrel's 30 MB default would cut a gateway image off; the intake enforces the configured limit itself.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = options.Value.MaxArtifactBytes + OtaPackageFormat.MaxHeaderLength;

        var result = await intake.TakeAsync(context.Request.Body, context.Request.ContentLength, context.Caller().Name, cancellationToken);
        if (result.Artifact is { } artifact)
        {
            var body = ToContract(artifact);
            return result.Created
                ? TypedResults.Created("/" + PathOf(artifact.Id), body)
                : TypedResults.Ok(body);
        }

        return TypedResults.Problem(
            statusCode: result.Status,
            title: result.Status switch
            {
                StatusCodes.Status409Conflict => "Artifact exists",
                StatusCodes.Status413PayloadTooLarge => "Artifact too large",
                _ => "Artifact refused",
            },
            detail: result.Reason,
            extensions: result.Failure is { } failure ? new Dictionary<string, object?> { ["failure"] = failure.ToString() } : null);
    }

    private static async Task<IResult> ListAsync(IArtifactStore store, CancellationToken cancellationToken) =>
        TypedResults.Json<IReadOnlyList<OtaArtifact>>(
            (await store.ListArtifactsAsync(cancellationToken)).Select(ToContract).ToList(), OtaJson.Default.IReadOnlyListOtaArtifact);

    private static async Task<IResult> GetAsync(string artifactId, IArtifactStore store, CancellationToken cancellationToken) =>
        await store.FindArtifactAsync(artifactId, cancellationToken) is { } artifact
            ? TypedResults.Json(ToContract(artifact), OtaJson.Default.OtaArtifact)
            : NotFound(artifactId);

    private static Task<IResult> DownloadPayloadAsync(string artifactId, IArtifactStore store, CancellationToken cancellationToken) =>
        DownloadAsync(artifactId, store, withHead: false, cancellationToken);

    private static Task<IResult> DownloadPackageAsync(string artifactId, IArtifactStore store, CancellationToken cancellationToken) =>
        DownloadAsync(artifactId, store, withHead: true, cancellationToken);

    private static async Task<IResult> DownloadAsync(string artifactId, IArtifactStore store, bool withHead, CancellationToken cancellationToken)
    {
        if (await store.FindArtifactAsync(artifactId, cancellationToken) is not { } artifact)
            return NotFound(artifactId);

        var manifest = artifact.Manifest;
        var stream = new ArtifactReadStream(store, artifact.Id, manifest.Size, withHead ? artifact.PackageHeader() : []);
        // A strong validator per representation: the payload's by its SHA-256; the package's also by the signature it carries.
        var tag = withHead ? $"\"{manifest.Sha256}.cota\"" : $"\"{manifest.Sha256}\"";
        return TypedResults.Stream(
            stream,
            withHead ? OtaPackageFormat.MediaType : "application/octet-stream",
            fileDownloadName: withHead ? $"{manifest.Product}-{manifest.Version}{OtaPackageFormat.FileExtension}" : $"{manifest.Product}-{manifest.Version}.bin",
            lastModified: artifact.UploadedAt,
            entityTag: new EntityTagHeaderValue(tag),
            enableRangeProcessing: true);
    }

    private static async Task<IResult> DeleteAsync(string artifactId, IArtifactStore store, IAuditTrail audit, CancellationToken cancellationToken)
    {
        if (!await store.DeleteArtifactAsync(artifactId, cancellationToken))
            return NotFound(artifactId);
        await audit.RecordAsync(AuditActions.ArtifactDelete, artifactId, null, AuditOutcome.Succeeded, "artifact and payload deleted", cancellationToken);
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult NotFound(string artifactId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown artifact", detail: $"No artifact '{artifactId}' is stored; civic ota list shows those that are.");
}
