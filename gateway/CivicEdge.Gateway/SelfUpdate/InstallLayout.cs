namespace CivicEdge.Gateway.SelfUpdate;

/// <summary>
/// The gateway's install folder with two slots:
/// <code>
/// ROOT/civicedge-gateway-launcher   the launcher systemd starts (never replaced by an update)
/// ROOT/current -> slots/a           the running slot, switched with rename(2)
/// ROOT/slots/a/, ROOT/slots/b/      a published gateway each, civicedge-gateway at the top
/// ROOT/update.state                 the self-update's durable state (see UpdateState)
/// ROOT/download/                    the payload being fetched
/// </code>
/// </summary>
public sealed class InstallLayout
{
    /// <summary>The gateway executable at the top of a slot; the launcher runs <c>current/civicedge-gateway</c>.</summary>
    public const string Executable = "civicedge-gateway";

    /// <summary>Written last into a staged slot: the version it holds. A slot without it was never completely staged.</summary>
    public const string VersionMarker = ".civicedge-version";

    public InstallLayout(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    public string Current => Path.Combine(Root, "current");

    public string StateFile => Path.Combine(Root, "update.state");

    public string DownloadFolder => Path.Combine(Root, "download");

    /// <summary>The payload as it is fetched.</summary>
    public string PartialPayload => Path.Combine(DownloadFolder, "payload.partial");

    public string Slot(string name) => Path.Combine(Root, "slots", name);

    /// <summary>The slot <c>current</c> points at: <c>a</c> or <c>b</c>; the exception says what the link holds instead.</summary>
    public string ActiveSlot()
    {
        var target = new FileInfo(Current).LinkTarget
            ?? throw new InvalidOperationException($"expected '{Current}' to be a symbolic link to slots/a or slots/b, found {(Path.Exists(Current) ? "no link" : "nothing")}: install the gateway with slots (see the README, Gateway self-update)");
        return target.TrimEnd('/') switch
        {
            "slots/a" => "a",
            "slots/b" => "b",
            _ => throw new InvalidOperationException($"expected '{Current}' to point at slots/a or slots/b, found '{target}'"),
        };
    }

    public static string Other(string slot) => slot == "a" ? "b" : "a";

    /// <summary>Points <c>current</c> at <paramref name="slot"/> atomically and durably.</summary>
    public void Switch(string slot) => DurableFiles.ReplaceSymbolicLink(Current, "slots/" + slot);
}
