using CivicEdge.Fleet.Core;
using CivicEdge.Fleet.Server.Access;
using CivicEdge.Fleet.Server.Health;
using CivicEdge.Fleet.Server.Commands;
using CivicEdge.Fleet.Server.Ledger;
using CivicEdge.Fleet.Server.Ota;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CivicEdge.Fleet.Server;

/// <summary>What <c>Program.cs</c> wires together: options, store, ingest, broker, REST API and health.</summary>
internal static class FleetComposition
{
    /// <summary>
    /// Logging defaults for a process that operators read on a terminal or in the journal: one line per entry, UTC
    /// times, no per-request chatter. Added below every other source, so appsettings, environment and command line
    /// override them.
    /// </summary>
    private static readonly Dictionary<string, string?> LoggingDefaults = new(StringComparer.Ordinal)
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:Console:FormatterName"] = "simple",
        ["Logging:Console:FormatterOptions:SingleLine"] = "true",
        ["Logging:Console:FormatterOptions:UseUtcTimestamp"] = "true",
        ["Logging:Console:FormatterOptions:TimestampFormat"] = "yyyy-MM-ddTHH:mm:ss.fffZ ",
    };

    public static WebApplicationBuilder AddFleet(this WebApplicationBuilder builder)
    {
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = LoggingDefaults });

        // The fleet's own URL setting applies unless the standard --urls / ASPNETCORE_URLS one is given.
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
            builder.WebHost.UseUrls(builder.Configuration[$"{FleetHttpOptions.Section}:Url"] ?? new FleetHttpOptions().Url);

        var services = builder.Services;
        var validator = new FleetOptionsValidator();
        AddValidatedOptions<FleetHttpOptions>(services, FleetHttpOptions.Section, validator);
        AddValidatedOptions<BrokerOptions>(services, BrokerOptions.Section, validator);
        AddValidatedOptions<TelemetryIngestOptions>(services, FleetOptionsValidator.IngestSection, validator);

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<TelemetryIngestOptions>>().Value);
        services.AddFleetStorage();
        services.AddFleetAccess();
        services.AddSingleton<TelemetryIngestor>();
        services.AddSingleton<TwinIngestor>();
        services.AddSingleton<EventIngestor>();
        services.AddSingleton(provider => new LiveValues(
            provider.GetRequiredService<TelemetryIngestOptions>(),
            provider.GetRequiredService<ILogger<LiveValues>>()));
        services.AddSingleton<MqttIngestService>();
        services.AddSingleton<IDesiredStatePublisher>(provider => provider.GetRequiredService<MqttIngestService>());
        builder.AddLedger();
        builder.AddFleetHealth();

        // Hosted services start in this order and stop in reverse: the broker outlives the client that uses it.
        services.AddHostedService<EmbeddedBroker>();
        services.AddHostedService(provider => provider.GetRequiredService<MqttIngestService>());
        services.AddCommands();
        services.AddOta(builder.Configuration);
        services.AddHostedService<ReadyAnnouncement>();

        services.AddProblemDetails();
        services.AddHealthChecks()
            .AddCheck<StoreHealthCheck>("store")
            .AddCheck<IngestHealthCheck>("mqtt-ingest");
        return builder;
    }

    public static WebApplication MapFleet(this WebApplication app)
    {
        app.UseStatusCodePages();
        app.UseFleetAccess();
        app.MapDeviceEndpoints();
        app.MapTelemetryEndpoints();
        app.MapLedger();
        app.MapTwinEndpoints();
        app.MapGatewayEndpoints();
        app.MapEventEndpoints();
        app.MapFleetHealth();
        app.MapCommandEndpoints();
        app.MapOtaEndpoints();
        app.MapCampaignEndpoints();
        app.MapFleetAccess();
        app.MapHealthChecks("/healthz").AllowAnonymous();
        return app;
    }

    /// <summary>
    /// Every configuration problem at once, each naming its key, found before anything is opened or bound; the same
    /// checks run again when the host starts (ValidateOnStart) for hosts built another way, such as test hosts.
    /// </summary>
    public static IReadOnlyList<string> FindConfigurationProblems(IServiceProvider services)
    {
        var problems = new List<string>();
        Check<FleetHttpOptions>();
        Check<BrokerOptions>();
        Check<FleetStorageOptions>();
        Check<RetentionOptions>();
        Check<TelemetryIngestOptions>();
        Check<AccessOptions>();
        Check<CommandOptions>();
        foreach (var read in LedgerComposition.OptionReads)
            Collect(() => read(services));
        Collect(() => HealthComposition.OptionRead(services));
        Collect(() => OtaComposition.OptionRead(services));
        return problems;

        void Check<TOptions>()
            where TOptions : class => Collect(() => _ = services.GetRequiredService<IOptions<TOptions>>().Value);

        void Collect(Action read)
        {
            try
            {
                read();
            }
            catch (OptionsValidationException exception)
            {
                problems.AddRange(exception.Failures);
            }
            catch (InvalidOperationException exception) when (exception.InnerException is not null)
            {
                // The configuration binder's way of saying a value does not convert, e.g. a port that is not a number.
                problems.Add(exception.Message);
            }
        }
    }

    private static void AddValidatedOptions<TOptions>(IServiceCollection services, string section, IValidateOptions<TOptions> validator)
        where TOptions : class
    {
        services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
        services.AddSingleton(validator);
    }
}
