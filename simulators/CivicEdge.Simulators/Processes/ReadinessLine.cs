namespace CivicEdge.Simulators.Processes;

/// <summary>
/// The line an executable of the product writes once it serves, <c>civicedge-fleet ready http=… mqtt=…</c>: words, the
/// addresses it took as <c>key=value</c>, so that a caller that asked for port 0 learns the port it got.
/// </summary>
public static class ReadinessLine
{
    /// <summary>The value of <paramref name="key"/> in <paramref name="line"/>.</summary>
    /// <exception cref="FormatException">The line has no <c>key=</c>.</exception>
    public static string Field(string line, string key)
    {
        ArgumentNullException.ThrowIfNull(line);
        var token = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(t => t.StartsWith(key + "=", StringComparison.Ordinal));
        return token?[(key.Length + 1)..] ?? throw new FormatException($"No '{key}=' in the readiness line '{line}'.");
    }
}
