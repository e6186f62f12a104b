using CivicEdge.Fleet.Contracts.Ota;
using CivicEdge.Fleet.Core.Ota;

namespace CivicEdge.Fleet.Server.Ota;

/// <summary>An upload's outcome: the artifact stored (or already held), or the HTTP status and reason it was refused with.</summary>
internal sealed record ArtifactIntakeResult(StoredArtifact? Artifact, bool Created, int Status, string? Reason, OtaVerificationFailure? Failure)
{
    public static ArtifactIntakeResult Stored(StoredArtifact artifact, bool created) =>
        new(artifact, created, created ? StatusCodes.Status201Created : StatusCodes.Status200OK, null, null);

    public static ArtifactIntakeResult Refused(int status, string reason, OtaVerificationFailure? failure) => new(null, false, status, reason, failure);
}
