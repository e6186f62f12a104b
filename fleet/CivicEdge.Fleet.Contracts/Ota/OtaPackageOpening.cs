namespace CivicEdge.Fleet.Contracts.Ota;

/// <summary>A package whose head has been read from a stream.</summary>
/// <param name="Read">The head, or why there is none.</param>
/// <param name="PayloadStart">Payload bytes that were read along with the head.</param>
public sealed record OtaPackageOpening(OtaPackageRead Read, ReadOnlyMemory<byte> PayloadStart)
{
    public OtaPackageHeader? Header => Read.Header;
}
