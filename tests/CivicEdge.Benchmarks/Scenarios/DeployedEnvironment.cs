namespace CivicEdge.Benchmarks.Scenarios;

/// <summary>
/// The runtime settings the gateway is deployed with: the <c>DOTNET_*</c> variables of the systemd unit
/// (<c>gateway/deploy/civicedge-gateway.service</c>), so that the load scenario measures the gateway as it runs on a pole,
/// not with the runtime's defaults.
/// </summary>
internal static class DeployedEnvironment
{
    private const string Prefix = "Environment=";

    public static IReadOnlyDictionary<string, string> Read()
    {
        var unit = Path.Combine(RepositoryRoot(), "gateway", "deploy", "civicedge-gateway.service");
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(unit).Select(line => line.Trim()))
        {
            if (!line.StartsWith(Prefix + "DOTNET_", StringComparison.Ordinal))
                continue;
            var assignment = line[Prefix.Length..];
            var equals = assignment.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
                throw new InvalidDataException($"{unit}: expected Environment=NAME=VALUE; found '{line}'.");
            variables[assignment[..equals]] = assignment[(equals + 1)..];
        }

        return variables;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CivicEdge.slnx")))
                return directory.FullName;
        }

        throw new InvalidOperationException($"No CivicEdge.slnx above {AppContext.BaseDirectory}.");
    }
}
