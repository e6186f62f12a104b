using CivicEdge.Fleet.Core;
using CivicEdge.Fleet.Core.Ota;
using Microsoft.Extensions.Options;

namespace CivicEdge.Fleet.Server.Ota;

/// <summary>What OTA adds to the fleet: options, trusted signers, the artifact and campaign stores, the campaign scheduler and the REST API.</summary>
internal static class OtaComposition
{
    /// <summary>Reads the options OTA adds, so that start-up checks them with the fleet's own.</summary>
    public static Action<IServiceProvider> OptionRead { get; } =
        services => _ = services.GetRequiredService<IOptions<OtaOptions>>().Value;

    public static IServiceCollection AddOta(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OtaOptions>()
            .Configure(options => BindStrictly(options, configuration))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<OtaOptions>, OtaOptionsValidator>();
        services.AddSingleton<TrustedSigners>();
        services.AddSingleton(provider => (IArtifactStore)provider.GetRequiredService<IFleetStore>());
        services.AddSingleton<ArtifactIntake>();
        services.AddSingleton(provider => (ICampaignStore)provider.GetRequiredService<IFleetStore>());
        services.AddSingleton(provider => (IOtaStatusStore)provider.GetRequiredService<IFleetStore>());
        services.AddSingleton(provider => new OtaStatusInbox(
            provider.GetRequiredService<IOtaStatusStore>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<IOptions<OtaOptions>>().Value.PendingStatusCapacity));
        services.AddSingleton<IOtaOfferPublisher>(provider => provider.GetRequiredService<MqttIngestService>());
        services.AddSingleton<IDeviceHealthSamples, FleetHealthSamples>();
        services.AddSingleton(provider => new CampaignRunner(
            provider.GetRequiredService<ICampaignStore>(),
            provider.GetRequiredService<IArtifactStore>(),
            provider.GetRequiredService<Core.Ledger.IDeviceLedgerStore>(),
            provider.GetRequiredService<IDeviceHealthSamples>(),
            provider.GetRequiredService<IOtaOfferPublisher>(),
            provider.GetRequiredService<IOtaStatusStore>(),
            provider.GetRequiredService<TimeProvider>())
        {
            ResendInterval = provider.GetRequiredService<IOptions<OtaOptions>>().Value.OfferResendInterval,
        });
        services.AddHostedService<CampaignScheduler>();
        return services;
    }

    /// <summary>Binds <c>Fleet:Ota</c>, refusing a misspelt key: a trusted key list that silently stays empty refuses every release.</summary>
    private static void BindStrictly(OtaOptions options, IConfiguration configuration)
    {
        try
        {
            configuration.GetSection(OtaOptions.Section).Bind(options, binder => binder.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException exception)
        {
            throw new OptionsValidationException(OtaOptions.Section, typeof(OtaOptions), [$"{OtaOptions.Section}: {exception.Message}"]);
        }
    }
}
