using System.Globalization;
using System.Text;

namespace CivicEdge.Gateway.SelfUpdate;

/// <summary>
/// The self-update's durable record, one offer at a time. Written as <c>key=value</c> lines so that the launcher, a
/// POSIX sh script, can read and rewrite it with <c>sed</c> before any gateway binary runs.
/// </summary>
/// <param name="Step">Where the update stands.</param>
/// <param name="CampaignId">The offer's campaign.</param>
/// <param name="Target">The gateway's own code.</param>
/// <param name="Attempt">The offer's attempt.</param>
/// <param name="ArtifactId">The artifact, e.g. <c>civicedge-gateway@1.4.0</c>.</param>
/// <param name="Version">The version being installed.</param>
/// <param name="PreviousVersion">The version that ran when the offer came.</param>
/// <param name="Size">The payload's length in bytes.</param>
/// <param name="Sha256">The payload's SHA-256.</param>
/// <param name="DownloadPath">Where the fleet serves the payload, relative to its base address.</param>
/// <param name="ETag">The entity tag the partial download was fetched under; a different one restarts it (RFC 9110 §13.1.5).</param>
/// <param name="Deadline">When the offer expires (Unix seconds); nothing starts after it.</param>
/// <param name="FromSlot">The slot that ran before the switch (<c>a</c> or <c>b</c>).</param>
/// <param name="ToSlot">The slot the update is staged into.</param>
/// <param name="TrialBoots">Starts of the new slot so far, counted by the launcher.</param>
/// <param name="MaxTrialBoots">Starts the new slot gets before the launcher rolls back.</param>
/// <param name="TrialDeadline">When the new version must have confirmed (Unix seconds), else the launcher rolls back.</param>
/// <param name="Sequence">The number of the latest status report (persisted before it is sent).</param>
/// <param name="Reported">The number of the latest report the broker took; less than <paramref name="Sequence"/> while one waits.</param>
/// <param name="Reason">Why it failed or rolled back.</param>
public sealed record UpdateState(
    UpdateStep Step,
    string CampaignId,
    string Target,
    int Attempt,
    string ArtifactId,
    string Version,
    string PreviousVersion,
    long Size,
    string Sha256,
    string DownloadPath,
    string? ETag,
    long Deadline,
    string? FromSlot,
    string? ToSlot,
    int TrialBoots,
    int MaxTrialBoots,
    long TrialDeadline,
    long Sequence,
    long Reported,
    string? Reason)
{
    /// <summary>True once nothing more happens to this offer but reporting it.</summary>
    public bool IsFinal => Step is UpdateStep.Confirmed or UpdateStep.Failed or UpdateStep.RolledBack;

    /// <summary>The state file's text: one <c>key=value</c> per line, values on one line.</summary>
    public string Format()
    {
        var text = new StringBuilder();
        Line("step", StepName(Step));
        Line("campaign", CampaignId);
        Line("target", Target);
        Line("attempt", Attempt.ToString(CultureInfo.InvariantCulture));
        Line("artifact", ArtifactId);
        Line("version", Version);
        Line("previousVersion", PreviousVersion);
        Line("size", Size.ToString(CultureInfo.InvariantCulture));
        Line("sha256", Sha256);
        Line("downloadPath", DownloadPath);
        Line("etag", ETag ?? "");
        Line("deadline", Deadline.ToString(CultureInfo.InvariantCulture));
        Line("fromSlot", FromSlot ?? "");
        Line("toSlot", ToSlot ?? "");
        Line("trialBoots", TrialBoots.ToString(CultureInfo.InvariantCulture));
        Line("maxTrialBoots", MaxTrialBoots.ToString(CultureInfo.InvariantCulture));
        Line("trialDeadline", TrialDeadline.ToString(CultureInfo.InvariantCulture));
        Line("sequence", Sequence.ToString(CultureInfo.InvariantCulture));
        Line("reported", Reported.ToString(CultureInfo.InvariantCulture));
        Line("reason", Reason ?? "");
        return text.ToString();

        void Line(string key, string value) =>
            text.Append(key).Append('=').Append(value.ReplaceLineEndings(" ")).Append('\n');
    }

    /// <summary>Reads the state file's text; the exception names the line and what was expected and found.</summary>
    public static UpdateState Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var number = 0;
        foreach (var line in text.Split('\n'))
        {
            number++;
            if (line.Length == 0)
                continue;
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
                throw new InvalidDataException($"{source}: line {number}: expected key=value, found '{line}'");
            values[line[..equals]] = line[(equals + 1)..];
        }

        return new UpdateState(
            ParseStep(Required("step")),
            Required("campaign"),
            Required("target"),
            Integer("attempt"),
            Required("artifact"),
            Required("version"),
            Required("previousVersion"),
            Long("size"),
            Required("sha256"),
            Required("downloadPath"),
            Optional("etag"),
            Long("deadline"),
            Optional("fromSlot"),
            Optional("toSlot"),
            Integer("trialBoots"),
            Integer("maxTrialBoots"),
            Long("trialDeadline"),
            Long("sequence"),
            Long("reported"),
            Optional("reason"));

        string Required(string key) =>
            values.TryGetValue(key, out var value) && value.Length > 0
                ? value
                : throw new InvalidDataException($"{source}: expected a line '{key}=…' with a value, found {(values.ContainsKey(key) ? "an empty one" : "none")}");

        string? Optional(string key) => values.TryGetValue(key, out var value) && value.Length > 0 ? value : null;

        long Long(string key) =>
            long.TryParse(Required(key), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw new InvalidDataException($"{source}: expected '{key}' as a whole number, found '{values[key]}'");

        int Integer(string key) =>
            int.TryParse(Required(key), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw new InvalidDataException($"{source}: expected '{key}' as a whole number, found '{values[key]}'");

        UpdateStep ParseStep(string name) => name switch
        {
            "downloading" => UpdateStep.Downloading,
            "downloaded" => UpdateStep.Downloaded,
            "verified" => UpdateStep.Verified,
            "staged" => UpdateStep.Staged,
            "switched" => UpdateStep.Switched,
            "trial" => UpdateStep.Trial,
            "confirmed" => UpdateStep.Confirmed,
            "failed" => UpdateStep.Failed,
            "rolled-back" => UpdateStep.RolledBack,
            _ => throw new InvalidDataException($"{source}: expected 'step' as one of downloading, downloaded, verified, staged, switched, trial, confirmed, failed, rolled-back; found '{name}'"),
        };
    }

    /// <summary>The step as the state file (and the launcher) spells it.</summary>
    public static string StepName(UpdateStep step) => step switch
    {
        UpdateStep.Downloading => "downloading",
        UpdateStep.Downloaded => "downloaded",
        UpdateStep.Verified => "verified",
        UpdateStep.Staged => "staged",
        UpdateStep.Switched => "switched",
        UpdateStep.Trial => "trial",
        UpdateStep.Confirmed => "confirmed",
        UpdateStep.Failed => "failed",
        UpdateStep.RolledBack => "rolled-back",
        _ => throw new ArgumentOutOfRangeException(nameof(step), step, "not a self-update step"),
    };
}
