using System.Text;
using System.Text.Json;

namespace CivicEdge.Fleet.Contracts.Ota;

/// <summary>
/// The package file (<c>.cota</c>): one file that <c>head</c> can read and <c>tail</c> can cut, so no unzip is needed
/// to see what it is or to get the payload out.
/// </summary>
/// <remarks>
/// <code>
/// civicedge-ota/1\n                                   line 1: the format and its version
/// {"product":…,"sha256":…,"created":…}\n             line 2: the manifest, compact UTF-8 JSON; the signed bytes are this line without its \n
/// {"keyId":…,"algorithm":"ES256","value":…}\n        line 3: the signature
/// &lt;payload: manifest.size raw bytes&gt;                   everything after line 3, to the end of the file
/// </code>
/// <c>head -n 3 pump.cota</c> shows what it is and who signed it; <c>tail -c SIZE pump.cota &gt; pump.bin</c> cuts the
/// payload out. Compact JSON never holds a raw line feed (RFC 8259 §7 escapes control characters in strings), so the
/// lines are unambiguous. The head is at most <see cref="MaxHeaderLength"/> bytes.
/// </remarks>
public static class OtaPackageFormat
{
    public const string Magic = "civicedge-ota/1";

    public const string FileExtension = ".cota";

    public const string MediaType = "application/vnd.civicedge.ota";

    /// <summary>Long enough for release notes; short enough that a reader never buffers a payload looking for a line end.</summary>
    public const int MaxHeaderLength = 64 * 1024;

    /// <summary>The manifest bytes a signer signs: compact UTF-8 JSON in the contract's field order.</summary>
    public static byte[] ManifestBytes(OtaManifest manifest) => JsonSerializer.SerializeToUtf8Bytes(manifest, OtaJson.Default.OtaManifest);

    /// <summary>The head to write before the payload.</summary>
    public static byte[] WriteHeader(ReadOnlySpan<byte> manifestBytes, OtaSignature signature)
    {
        if (manifestBytes.IndexOf((byte)'\n') >= 0)
            throw new ArgumentException("The manifest must be compact JSON on one line.", nameof(manifestBytes));
        var signatureBytes = JsonSerializer.SerializeToUtf8Bytes(signature, OtaJson.Default.OtaSignature);
        var header = new byte[Magic.Length + 1 + manifestBytes.Length + 1 + signatureBytes.Length + 1];
        var at = Encoding.ASCII.GetBytes(Magic, header);
        header[at++] = (byte)'\n';
        manifestBytes.CopyTo(header.AsSpan(at));
        at += manifestBytes.Length;
        header[at++] = (byte)'\n';
        signatureBytes.CopyTo(header.AsSpan(at));
        at += signatureBytes.Length;
        header[at] = (byte)'\n';
        if (header.Length > MaxHeaderLength)
            throw new ArgumentException($"The package head would take {header.Length} bytes; at most {MaxHeaderLength} are allowed (shorten the release notes).", nameof(manifestBytes));
        return header;
    }

    /// <summary>
    /// Reads the head from the first bytes of a package. Never throws on bad bytes: returns need-more-data until the
    /// three lines are there, and malformed with the offset and what was expected and found.
    /// </summary>
    public static OtaPackageRead ReadHeader(ReadOnlySpan<byte> start)
    {
        var magicLine = Encoding.ASCII.GetBytes(Magic + "\n");
        var compared = Math.Min(start.Length, magicLine.Length);
        if (!start[..compared].SequenceEqual(magicLine.AsSpan(0, compared)))
        {
            var shown = Encoding.UTF8.GetString(start[..Math.Min(start.Length, 24)]).ReplaceLineEndings("\\n");
            return OtaPackageRead.Malformed($"expected a CivicEdge OTA package starting with '{Magic}\\n', found '{shown}'", 0);
        }
        if (start.Length < magicLine.Length)
            return OtaPackageRead.NeedMoreData;

        var manifestStart = magicLine.Length;
        var manifestEnd = IndexOfLineEnd(start, manifestStart);
        if (manifestEnd < 0)
            return NeedMoreOrTooLong(start);
        var signatureStart = manifestEnd + 1;
        var signatureEnd = IndexOfLineEnd(start, signatureStart);
        if (signatureEnd < 0)
            return NeedMoreOrTooLong(start);
        var length = signatureEnd + 1;
        if (length > MaxHeaderLength)
            return OtaPackageRead.Malformed($"expected a package head of at most {MaxHeaderLength} bytes, found {length}", MaxHeaderLength);

        var manifestBytes = start[manifestStart..manifestEnd];
        OtaManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize(manifestBytes, OtaJson.Default.OtaManifest);
        }
        catch (JsonException ex)
        {
            return OtaPackageRead.Malformed($"expected the manifest as JSON on line 2, found JSON that does not fit it: {ex.Message}", manifestStart + (int)(ex.BytePositionInLine ?? 0));
        }
        if (manifest is null)
            return OtaPackageRead.Malformed("expected the manifest as a JSON object on line 2, found null", manifestStart);

        OtaSignature? signature;
        try
        {
            signature = JsonSerializer.Deserialize(start[signatureStart..signatureEnd], OtaJson.Default.OtaSignature);
        }
        catch (JsonException ex)
        {
            return OtaPackageRead.Malformed($"expected the signature as JSON on line 3, found JSON that does not fit it: {ex.Message}", signatureStart + (int)(ex.BytePositionInLine ?? 0));
        }
        if (signature is null)
            return OtaPackageRead.Malformed("expected the signature as a JSON object on line 3, found null", signatureStart);

        return OtaPackageRead.Complete(new OtaPackageHeader(manifestBytes.ToArray(), manifest, signature, length));
    }

    private static int IndexOfLineEnd(ReadOnlySpan<byte> bytes, int from)
    {
        if (from >= bytes.Length)
            return -1;
        var index = bytes[from..].IndexOf((byte)'\n');
        return index < 0 ? -1 : from + index;
    }

    private static OtaPackageRead NeedMoreOrTooLong(ReadOnlySpan<byte> start) =>
        start.Length >= MaxHeaderLength
            ? OtaPackageRead.Malformed($"expected the manifest and signature lines within the first {MaxHeaderLength} bytes, found no line end there", MaxHeaderLength)
            : OtaPackageRead.NeedMoreData;
}
