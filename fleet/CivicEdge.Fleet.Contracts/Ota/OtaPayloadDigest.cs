using System.Security.Cryptography;

namespace CivicEdge.Fleet.Contracts.Ota;

/// <summary>
/// The length and SHA-256 of a payload taken as it streams past, so that an upload or a download is checked without
/// holding it whole (a gateway image is tens of MB; a device has tens of KB).
/// </summary>
public sealed class OtaPayloadDigest : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public long Length { get; private set; }

    public void Append(ReadOnlySpan<byte> data)
    {
        _hash.AppendData(data);
        Length += data.Length;
    }

    /// <summary>The SHA-256 of everything appended so far, 64 lowercase hex digits.</summary>
    public string Sha256() => Convert.ToHexStringLower(_hash.GetCurrentHash());

    public void Dispose() => _hash.Dispose();
}
