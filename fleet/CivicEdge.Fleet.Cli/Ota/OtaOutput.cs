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

    public static void WriteCampaigns(IAnsiConsole console, IReadOnlyList<OtaCampaign> campaigns)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(campaigns);
        if (campaigns.Count == 0)
        {
            console.MarkupLine("No campaigns. Create one with civic ota campaign create ID --artifact ARTIFACT.");
            return;
        }
        var table = new Table().AddColumns("campaign", "artifact", "state", "wave", "succeeded", "failed", "devices", "created");
        foreach (var c in campaigns)
        {
            table.AddRow(
                Markup.Escape(c.Id),
                Markup.Escape(c.ArtifactId),
                StateMarkup(c.State),
                $"{c.CurrentWave} of {c.Waves.Count}",
                c.Waves.Sum(w => w.Succeeded).ToString(System.Globalization.CultureInfo.InvariantCulture),
                c.Waves.Sum(w => w.Failed).ToString(System.Globalization.CultureInfo.InvariantCulture),
                c.Waves.Sum(w => w.Devices).ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"{c.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm} by {Markup.Escape(c.CreatedBy)}");
        }
        console.Write(table);
    }

    /// <summary>One campaign: its state and why, each wave's counts, and every failed device with its reason.</summary>
    public static void WriteCampaign(IAnsiConsole console, OtaCampaign campaign)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(campaign);
        console.MarkupLine($"campaign  [bold]{Markup.Escape(campaign.Id)}[/]: {Markup.Escape(campaign.ArtifactId)}, {StateMarkup(campaign.State)}, wave {campaign.CurrentWave} of {campaign.Waves.Count}");
        if (campaign.Reason is { } reason)
            console.MarkupLineInterpolated($"why       {reason}");
        if (campaign.Windows is { Count: > 0 } windows)
            console.MarkupLineInterpolated($"windows   {Windows(windows, campaign.UtcOffset, campaign.Location)}");
        var waves = new Table().AddColumns("wave", "reach", "devices", "pending", "in progress", "succeeded", "failed");
        foreach (var w in campaign.Waves)
        {
            waves.AddRow(
                w.Number == campaign.CurrentWave ? $"[bold]{w.Number}[/]" : w.Number.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Markup.Escape(w.Reach),
                w.Devices.ToString(System.Globalization.CultureInfo.InvariantCulture),
                w.Pending.ToString(System.Globalization.CultureInfo.InvariantCulture),
                w.InProgress.ToString(System.Globalization.CultureInfo.InvariantCulture),
                w.Succeeded.ToString(System.Globalization.CultureInfo.InvariantCulture),
                w.Failed > 0 ? $"[red]{w.Failed}[/]" : "0");
        }
        console.Write(waves);
        var held = campaign.Devices?.Where(d => d.State == "pending" && d.Reason is not null).ToList() ?? [];
        if (held.Count > 0)
        {
            var holds = new Table().AddColumns("held device", "via", "wave", "reason");
            foreach (var d in held)
                holds.AddRow(Markup.Escape(d.Device), Markup.Escape(d.Addressee), d.Wave.ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(d.Reason!));
            console.Write(holds);
        }

        var underWay = campaign.Devices?.Where(d => d.State is "offered" or "installing" or "confirmed").ToList() ?? [];
        if (underWay.Count > 0)
        {
            var progress = new Table().AddColumns("device under way", "via", "wave", "state", "progress");
            foreach (var d in underWay)
            {
                progress.AddRow(
                    Markup.Escape(d.Device), Markup.Escape(d.Addressee), d.Wave.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Markup.Escape(d.State), Markup.Escape(Progress(d.BytesReceived, campaign.Size)));
            }
            console.Write(progress);
        }

        var failed = campaign.Devices?.Where(d => d.State == "failed").ToList() ?? [];
        if (failed.Count == 0)
            return;
        var devices = new Table().AddColumns("failed device", "via", "wave", "attempt", "runs", "reason");
        foreach (var d in failed)
        {
            devices.AddRow(
                Markup.Escape(d.Device), Markup.Escape(d.Addressee), d.Wave.ToString(System.Globalization.CultureInfo.InvariantCulture),
                d.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(d.RunningVersion ?? d.FromVersion), Markup.Escape(d.Reason ?? ""));
        }
        console.Write(devices);
    }

    /// <summary>Bytes the device has, and the share of the image when its size is known: <c>12,000 of 24,000 bytes (50 %)</c>.</summary>
    public static string Progress(long? bytesReceived, long? size)
    {
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        if (bytesReceived is not { } bytes)
            return "no bytes reported";
        if (size is not ({ } total and > 0))
            return string.Create(culture, $"{bytes:N0} bytes");
        return string.Create(culture, $"{bytes:N0} of {total:N0} bytes ({Math.Floor(100.0 * bytes / total):0} %)");
    }

    /// <summary><c>22:00-04:00 (UTC+08:00), daylight+30m at each device's place, else 22.54,114.06</c>.</summary>
    private static string Windows(IReadOnlyList<string> windows, TimeSpan? utcOffset, string? location)
    {
        var clock = windows.Where(w => !w.StartsWith("daylight", StringComparison.Ordinal)).ToList();
        var parts = new List<string>();
        if (clock.Count > 0)
            parts.Add($"{string.Join(", ", clock)} (UTC{(utcOffset < TimeSpan.Zero ? "-" : "+")}{(utcOffset ?? TimeSpan.Zero):hh\\:mm})");
        if (windows.FirstOrDefault(w => w.StartsWith("daylight", StringComparison.Ordinal)) is { } daylight)
            parts.Add($"{daylight} at each device's place, {(location is null ? "devices without one held" : $"else {location}")}");
        return string.Join("; ", parts);
    }

    private static string StateMarkup(string state) => state switch
    {
        "halted" => "[red]halted[/]",
        "completed" => "[green]completed[/]",
        "paused" or "cancelled" => $"[yellow]{state}[/]",
        _ => state,
    };
}
