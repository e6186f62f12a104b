using System.Security.Cryptography;

namespace CivicEdge.Gateway.Ota;

/// <summary>A verified image to feed to field devices: its version, its bytes and their SHA-256.</summary>
public sealed class FieldUpdateImage
{
    private FieldUpdateImage(string version, ReadOnlyMemory<byte> payload, byte[] sha256)
    {
        Version = version;
        Payload = payload;
        Sha256 = sha256;
    }

    public string Version { get; }

    public ReadOnlyMemory<byte> Payload { get; }

    public byte[] Sha256 { get; }

    /// <summary>An image of <paramref name="payload"/>; its SHA-256 is computed here, once for every device it goes to.</summary>
    /// <exception cref="ArgumentException">An empty payload or a version the device registers cannot hold.</exception>
    public static FieldUpdateImage Of(string version, ReadOnlyMemory<byte> payload)
    {
        if (payload.IsEmpty)
            throw new ArgumentException("An image needs at least one byte.", nameof(payload));
        var sha = SHA256.HashData(payload.Span);
        FieldUpdateStatus.ManifestRegisters(payload.Length, sha, version);
        return new FieldUpdateImage(version, payload, sha);
    }
}
