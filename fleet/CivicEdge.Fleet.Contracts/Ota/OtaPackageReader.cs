namespace CivicEdge.Fleet.Contracts.Ota;

/// <summary>
/// Reads a package as it streams in (a file, an upload, a download): first the head, then the payload, checked
/// against the manifest's size and SHA-256 while it is copied on. It never holds more than the head and one buffer, and
/// stops at the first byte past the declared size, so a package that lies about its size costs nothing to refuse.
/// </summary>
public static class OtaPackageReader
{
    private const int BufferSize = 64 * 1024;

    /// <summary>
    /// Reads the head from <paramref name="package"/>. On success the result also holds the payload bytes read past
    /// the head, which <see cref="CopyPayloadAsync"/> takes first.
    /// </summary>
    public static async Task<OtaPackageOpening> ReadHeaderAsync(Stream package, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(package);
        var buffer = new byte[OtaPackageFormat.MaxHeaderLength];
        var filled = 0;
        while (true)
        {
            var read = await package.ReadAsync(buffer.AsMemory(filled), cancellationToken);
            filled += read;
            var result = OtaPackageFormat.ReadHeader(buffer.AsSpan(0, filled));
            switch (result.Status)
            {
                case OtaPackageReadStatus.Complete:
                    return new OtaPackageOpening(result, buffer.AsMemory(result.Header!.Length, filled - result.Header.Length));
                case OtaPackageReadStatus.Malformed:
                    return new OtaPackageOpening(result, ReadOnlyMemory<byte>.Empty);
                case OtaPackageReadStatus.NeedMoreData when read == 0:
                    return new OtaPackageOpening(
                        OtaPackageRead.Malformed($"expected the three head lines (format, manifest, signature), found the package ending after {filled} bytes", filled),
                        ReadOnlyMemory<byte>.Empty);
            }
        }
    }

    /// <summary>
    /// Copies the payload (the bytes read past the head, then the rest of <paramref name="package"/>) to
    /// <paramref name="destination"/> while checking its length and SHA-256 against the manifest. Stops and refuses at
    /// the first byte past the manifest's size. The destination holds a checked payload only when the result is valid.
    /// </summary>
    /// <remarks><paramref name="progress"/> is told the payload bytes copied so far, after each buffer.</remarks>
    public static async Task<OtaVerification> CopyPayloadAsync(
        OtaPackageOpening opening, Stream package, Stream destination, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(opening);
        ArgumentNullException.ThrowIfNull(package);
        ArgumentNullException.ThrowIfNull(destination);
        var manifest = opening.Read.Header?.Manifest ?? throw new ArgumentException("The package head was not read.", nameof(opening));

        using var digest = new OtaPayloadDigest();
        if (!await AppendAsync(opening.PayloadStart, manifest, digest, destination, progress, cancellationToken))
            return TooLong(manifest);

        var buffer = new byte[BufferSize];
        int read;
        while ((read = await package.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (!await AppendAsync(buffer.AsMemory(0, read), manifest, digest, destination, progress, cancellationToken))
                return TooLong(manifest);
        }
        return OtaVerifier.CheckPayload(manifest, digest.Length, digest.Sha256());
    }

    private static async Task<bool> AppendAsync(
        ReadOnlyMemory<byte> data, OtaManifest manifest, OtaPayloadDigest digest, Stream destination, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        if (data.IsEmpty)
            return true;
        if (digest.Length + data.Length > manifest.Size)
            return false;
        digest.Append(data.Span);
        await destination.WriteAsync(data, cancellationToken);
        progress?.Report(digest.Length);
        return true;
    }

    private static OtaVerification TooLong(OtaManifest manifest) =>
        OtaVerification.Refused(OtaVerificationFailure.SizeMismatch, $"expected a payload of {manifest.Size} bytes as the manifest says, found more");
}
