namespace CivicEdge.Gateway.SelfUpdate;

/// <summary>The durable state file: read whole, replaced whole (temp file, fsync, rename, fsync of the folder).</summary>
public sealed class UpdateStateFile(string path)
{
    public string Path { get; } = path ?? throw new ArgumentNullException(nameof(path));

    /// <summary>The state, or null when no update was ever offered.</summary>
    public UpdateState? Read() => File.Exists(Path) ? UpdateState.Parse(File.ReadAllText(Path), Path) : null;

    public void Write(UpdateState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        DurableFiles.WriteAtomically(Path, state.Format());
    }
}
