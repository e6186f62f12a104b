using CivicEdge.Gateway.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CivicEdge.Gateway.Tests.Support;

internal static class GatewayConfigurations
{
    /// <summary>A valid configuration: one test meter; add or override keys with <paramref name="overrides"/>.</summary>
    public static Dictionary<string, string?> Valid(string profilesPath, string dataPath, params (string Key, string? Value)[] overrides)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Gateway:Id"] = "gw-test-01",
            ["Gateway:DataPath"] = dataPath,
            ["Gateway:ProfilesPath"] = profilesPath,
            ["Gateway:Http:Url"] = "http://127.0.0.1:0",
            ["Devices:0:Id"] = "mtr-test-01",
            ["Devices:0:Profile"] = TestProfiles.MeterModel,
            ["Devices:0:Endpoint"] = "tcp://127.0.0.1:5020",
            ["Devices:0:Unit"] = "1",
        };
        foreach (var (key, value) in overrides)
            settings[key] = value;
        return settings;
    }

    /// <summary>Every start-up validation failure of <paramref name="settings"/>, as the operator would read them.</summary>
    public static IReadOnlyList<string> Problems(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging().AddCivicEdgeGateway(configuration);
        using var provider = services.BuildServiceProvider();
        try
        {
            provider.GetRequiredService<IStartupValidator>().Validate();
            return [];
        }
        catch (OptionsValidationException ex)
        {
            return [.. ex.Failures];
        }
        catch (AggregateException ex)
        {
            return [.. ex.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures)];
        }
    }
}
