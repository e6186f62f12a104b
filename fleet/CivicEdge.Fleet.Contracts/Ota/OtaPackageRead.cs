namespace CivicEdge.Fleet.Contracts.Ota;

/// <summary>The outcome of reading a package head from the bytes received so far.</summary>
/// <param name="Status">Complete, need more bytes, or malformed.</param>
/// <param name="Header">The head when complete.</param>
/// <param name="Reason">When malformed: what was expected and what was found.</param>
/// <param name="Offset">When malformed: the byte offset in the package where it went wrong.</param>
public sealed record OtaPackageRead(OtaPackageReadStatus Status, OtaPackageHeader? Header, string? Reason, int Offset)
{
    public static OtaPackageRead NeedMoreData { get; } = new(OtaPackageReadStatus.NeedMoreData, null, null, 0);

    public static OtaPackageRead Complete(OtaPackageHeader header) => new(OtaPackageReadStatus.Complete, header, null, 0);

    public static OtaPackageRead Malformed(string reason, int offset) => new(OtaPackageReadStatus.Malformed, null, reason, offset);
}
