namespace CivicEdge.Fleet.Contracts.Ota;

public enum OtaPackageReadStatus
{
    /// <summary>The head is read; the payload follows it.</summary>
    Complete,

    /// <summary>Not an error: the head is not all there yet.</summary>
    NeedMoreData,

    /// <summary>The bytes are not a package head; the reason says why.</summary>
    Malformed,
}
