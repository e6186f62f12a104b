using CivicEdge.Fleet.Core;
using CivicEdge.Fleet.Core.Alarms;
using CivicEdge.Fleet.Core.Health;
using CivicEdge.Fleet.Server.Alarms;
using Microsoft.Extensions.Options;

namespace CivicEdge.Fleet.Server.Health;

/// <summary>What health, alarms and the offline detector add to the fleet's composition.</summary>
internal static class HealthComposition
{
    /// <summary>Reads the options health adds, so that start-up checks them with the fleet's own.</summary>
    public static Action<IServiceProvider> OptionRead { get; } =
        services => _ = services.GetRequiredService<IOptions<HealthOptions>>().Value;

    public static WebApplicationBuilder AddFleetHealth(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddOptions<HealthOptions>()
            .Configure(options => BindStrictly(options, configuration))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<HealthOptions>, HealthOptionsValidator>();
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<HealthOptions>>().Value);
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<HealthOptions>();
            return new CadencePolicy(options, ProfileCadences.Load(options.ProfilesPath));
        });
        services.AddSingleton<HealthAssessor>();
        services.AddSingleton<PlanFigures>();
        services.AddSingleton<FleetHealth>();
        services.AddSingleton(provider => (IAlarmStore)provider.GetRequiredService<IFleetStore>());
        services.AddSingleton<AlarmBook>();
        services.AddSingleton<AlarmFeed>();
        services.AddHostedService<OfflineDetector>();
        return builder;
    }

    /// <summary>
    /// Binds <c>Fleet:Health</c>, refusing a misspelt key or a value that does not convert, named like every other
    /// configuration problem: a cadence that silently stays at its default would raise or hide offline alarms.
    /// </summary>
    private static void BindStrictly(HealthOptions options, IConfiguration configuration)
    {
        try
        {
            configuration.GetSection(HealthOptions.Section).Bind(options, binder => binder.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException exception)
        {
            throw new OptionsValidationException(HealthOptions.Section, typeof(HealthOptions), [$"{HealthOptions.Section}: {exception.Message}"]);
        }
    }

    public static WebApplication MapFleetHealth(this WebApplication app)
    {
        app.MapHealthEndpoints();
        app.MapAlarmEndpoints();
        return app;
    }
}
