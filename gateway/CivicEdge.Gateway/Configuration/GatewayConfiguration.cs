using Microsoft.Extensions.Configuration;

namespace CivicEdge.Gateway.Configuration;

/// <summary>
/// Where the gateway's configuration comes from, later sources overriding earlier ones:
/// <c>appsettings.json</c> beside the program (optional), the file named by <c>--config FILE</c> (required when given),
/// environment variables prefixed <c>CIVICEDGE_</c> (<c>CIVICEDGE_Gateway__Id</c>), and the command line
/// (<c>--Gateway:Id=gw-1</c>, <c>--Devices:0:Endpoint=tcp://127.0.0.1:5020</c>).
/// </summary>
public static class GatewayConfiguration
{
    public const string SettingsFileName = "appsettings.json";
    public const string EnvironmentPrefix = "CIVICEDGE_";
    public const string ConfigSwitch = "--config";

    private static readonly string[] HelpSwitches = ["--help", "-h", "-?"];

    /// <summary>Adds the gateway's configuration sources to <paramref name="configuration"/>.</summary>
    /// <param name="configuration">The builder to add to.</param>
    /// <param name="args">The command line.</param>
    /// <param name="programDirectory">The directory holding the optional <c>appsettings.json</c>.</param>
    /// <exception cref="ArgumentException"><c>--config</c> has no file name.</exception>
    public static IConfigurationBuilder AddGatewaySources(this IConfigurationBuilder configuration, string[] args, string programDirectory)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentException.ThrowIfNullOrEmpty(programDirectory);

        configuration.AddJsonFile(Path.Combine(programDirectory, SettingsFileName), optional: true, reloadOnChange: false);
        if (ConfigFile(args) is { } file)
            configuration.AddJsonFile(Path.GetFullPath(file), optional: false, reloadOnChange: false);
        configuration.AddEnvironmentVariables(EnvironmentPrefix);
        configuration.AddCommandLine(WithoutConfigSwitch(args));
        return configuration;
    }

    /// <summary>True when the command line asks for usage.</summary>
    public static bool WantsHelp(IEnumerable<string> args) =>
        args.Any(arg => HelpSwitches.Contains(arg, StringComparer.Ordinal));

    /// <summary>The file named by <c>--config FILE</c> or <c>--config=FILE</c>, or null.</summary>
    /// <exception cref="ArgumentException"><c>--config</c> is the last argument or names an empty file.</exception>
    public static string? ConfigFile(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        string? file = null;
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == ConfigSwitch)
            {
                if (i + 1 >= args.Count || string.IsNullOrWhiteSpace(args[i + 1]))
                    throw new ArgumentException($"{ConfigSwitch} needs a file name: {ConfigSwitch} FILE.", nameof(args));
                file = args[++i];
            }
            else if (args[i].StartsWith(ConfigSwitch + "=", StringComparison.Ordinal))
            {
                file = args[i][(ConfigSwitch.Length + 1)..];
                if (string.IsNullOrWhiteSpace(file))
                    throw new ArgumentException($"{ConfigSwitch}= needs a file name: {ConfigSwitch}=FILE.", nameof(args));
            }
        }

        return file;
    }

    private static string[] WithoutConfigSwitch(string[] args)
    {
        var rest = new List<string>(args.Length);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == ConfigSwitch)
                i++;
            else if (!args[i].StartsWith(ConfigSwitch + "=", StringComparison.Ordinal))
                rest.Add(args[i]);
        }

        return [.. rest];
    }
}
