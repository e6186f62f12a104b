using CivicEdge.Fleet.Contracts.Access;
using CivicEdge.Fleet.Contracts.Ota;
using CivicEdge.Fleet.Core.Audit;
using CivicEdge.Fleet.Core.Ota;
using Microsoft.Extensions.Options;

namespace CivicEdge.Fleet.Server.Ota;

/// <summary>
/// Takes an uploaded package in as it streams: the head is read and its signature checked before a payload byte is
/// read, the payload waits in a spool file while its size and SHA-256 are checked, and only a package that passed
/// every check reaches the store. Every refusal is audited with its reason and nothing of it is kept.
/// </summary>
internal sealed partial class ArtifactIntake(
    IArtifactStore store,
    TrustedSigners signers,
    IAuditTrail audit,
    IOptions<OtaOptions> options,
    TimeProvider timeProvider,
    ILogger<ArtifactIntake> logger)
{
    public async Task<ArtifactIntakeResult> TakeAsync(Stream body, long? contentLength, string uploadedBy, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var limit = settings.MaxArtifactBytes + OtaPackageFormat.MaxHeaderLength;
        if (contentLength > limit)
            return await RefuseAsync(null, StatusCodes.Status413PayloadTooLarge, $"expected a package of at most {limit} bytes ({OtaOptions.Section}:MaxArtifactBytes {settings.MaxArtifactBytes} plus its head), found {contentLength}", cancellationToken);

        var opening = await OtaPackageReader.ReadHeaderAsync(body, cancellationToken);
        if (opening.Header is not { } header)
            return await RefuseAsync(null, StatusCodes.Status422UnprocessableEntity, $"{opening.Read.Reason} (at byte {opening.Read.Offset})", cancellationToken);

        var id = header.Manifest.ArtifactId;
        var signature = signers.Verifier.VerifyHeader(header);
        if (!signature.IsValid)
            return await RefuseAsync(id, StatusCodes.Status422UnprocessableEntity, signature.Message!, cancellationToken, signature.Failure);
        if (header.Manifest.Size > settings.MaxArtifactBytes)
            return await RefuseAsync(id, StatusCodes.Status413PayloadTooLarge, $"expected a payload of at most {settings.MaxArtifactBytes} bytes ({OtaOptions.Section}:MaxArtifactBytes), found a manifest declaring {header.Manifest.Size}", cancellationToken);

        if (await store.FindArtifactAsync(id, cancellationToken) is { } existing)
        {
            // The same signed manifest binds the same payload hash: a repeated upload (a retried script) is harmless.
            if (existing.ManifestBytes.Span.SequenceEqual(header.ManifestBytes.Span))
                return ArtifactIntakeResult.Stored(existing, created: false);
            return await RefuseAsync(id, StatusCodes.Status409Conflict, $"an artifact {id} with another manifest (SHA-256 {existing.Manifest.Sha256}) is stored; a version is released once: sign a new version, or delete the old one first", cancellationToken);
        }

        var spoolDirectory = settings.SpoolDirectory ?? Path.GetTempPath();
        var spoolPath = Path.Combine(spoolDirectory, $"civicedge-ota-{Guid.NewGuid():N}.spool");
        await using var spool = new FileStream(spoolPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        var payload = await OtaPackageReader.CopyPayloadAsync(opening, body, spool, null, cancellationToken);
        if (!payload.IsValid)
            return await RefuseAsync(id, StatusCodes.Status422UnprocessableEntity, payload.Message!, cancellationToken, payload.Failure);

        spool.Position = 0;
        var artifact = new StoredArtifact(id, header.ManifestBytes, header.Manifest, header.Signature, uploadedBy, timeProvider.GetUtcNow());
        try
        {
            await store.AddArtifactAsync(artifact, spool, cancellationToken);
        }
        catch (InvalidOperationException)
        {
            // Another node stored the same id between the check above and now.
            return await RefuseAsync(id, StatusCodes.Status409Conflict, $"an artifact {id} was stored meanwhile by another upload", cancellationToken);
        }

        await audit.RecordAsync(AuditActions.ArtifactUpload, id, null, AuditOutcome.Succeeded,
            $"{header.Manifest.Size} bytes, SHA-256 {header.Manifest.Sha256}, signed by {header.Signature.KeyId}", cancellationToken);
        LogStored(logger, id, header.Manifest.Size, header.Signature.KeyId);
        return ArtifactIntakeResult.Stored(artifact, created: true);
    }

    private async Task<ArtifactIntakeResult> RefuseAsync(string? id, int status, string reason, CancellationToken cancellationToken, OtaVerificationFailure? failure = null)
    {
        await audit.RecordAsync(AuditActions.ArtifactUpload, id, null, AuditOutcome.Failed, $"refused: {reason}", cancellationToken);
        LogRefused(logger, id ?? "(unreadable)", reason);
        return ArtifactIntakeResult.Refused(status, reason, failure);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "OTA artifact {ArtifactId} stored: {Size} bytes signed by {KeyId}")]
    private static partial void LogStored(ILogger logger, string artifactId, long size, string keyId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OTA upload {ArtifactId} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string artifactId, string reason);
}
