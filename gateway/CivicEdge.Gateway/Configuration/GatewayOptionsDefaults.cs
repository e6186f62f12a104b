using CivicEdge.Hardware;
using Microsoft.Extensions.Options;

namespace CivicEdge.Gateway.Configuration;

/// <summary>Fills in the profiles directory when the configuration does not name one.</summary>
public sealed class GatewayOptionsDefaults : IPostConfigureOptions<GatewayOptions>
{
    public void PostConfigure(string? name, GatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrWhiteSpace(options.ProfilesPath))
            return;

        var fromEnvironment = Environment.GetEnvironmentVariable(ProfileDirectory.EnvironmentVariable);
        options.ProfilesPath = !string.IsNullOrWhiteSpace(fromEnvironment)
            ? fromEnvironment
            : ProfileDirectory.FindAbove([AppContext.BaseDirectory, Environment.CurrentDirectory]);
    }
}
