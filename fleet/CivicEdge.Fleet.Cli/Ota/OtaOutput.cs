using CivicEdge.Fleet.Contracts.Ota;
using Spectre.Console;

namespace CivicEdge.Fleet.Cli.Ota;

/// <summary>How <c>civic ota</c> prints manifests and artifacts for people.</summary>
public static class OtaOutput
{
    public static void WriteManifest(IAnsiConsole console, OtaManifest manifest, string keyId)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(manifest);
        console.MarkupLineInterpolated($"artifact     [bold]{manifest.ArtifactId}[/] ({(manifest.Kind == ArtifactKind.Firmware ? "firmware" : "gateway")})");
        console.MarkupLineInterpolated($"models       {string.Join(", ", manifest.HardwareModels)}");
        console.MarkupLineInterpolated($"installs on  {(manifest.MinimumVersion is { } min ? $"{min} or newer" : "any version")}");
        console.MarkupLineInterpolated($"payload      {manifest.Size} bytes, SHA-256 {manifest.Sha256}");
        console.MarkupLineInterpolated($"signed by    {keyId} at {manifest.Created.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC");
        if (manifest.ReleaseNotes is { Length: > 0 } notes)
            console.MarkupLineInterpolated($"notes        {notes}");
    }

    public static void WriteArtifacts(IAnsiConsole console, IReadOnlyList<OtaArtifact> artifacts)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(artifacts);
        if (artifacts.Count == 0)
        {
            console.MarkupLine("No artifacts. Upload one with civic ota upload PACKAGE.");
            return;
        }
        var table = new Table().AddColumns("artifact", "kind", "models", "from", "size", "signed by", "uploaded");
        foreach (var a in artifacts)
        {
            table.AddRow(
                Markup.Escape(a.Id),
                a.Manifest.Kind == ArtifactKind.Firmware ? "firmware" : "gateway",
                Markup.Escape(string.Join(", ", a.Manifest.HardwareModels)),
                Markup.Escape(a.Manifest.MinimumVersion ?? "any"),
                a.Manifest.Size.ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
                Markup.Escape(a.Signature.KeyId[..12] + "…"),
                $"{a.UploadedAt.UtcDateTime:yyyy-MM-dd HH:mm} by {Markup.Escape(a.UploadedBy)}");
        }
        console.Write(table);
    }
}
