using System.Threading.Channels;
using CivicEdge.Fleet.Contracts.Ota;
using CivicEdge.Gateway.Acquisition;
using CivicEdge.Gateway.Commands;
using CivicEdge.Gateway.Configuration;
using CivicEdge.Gateway.EdgeRules;
using CivicEdge.Gateway.Gpio;
using CivicEdge.Gateway.Health;
using CivicEdge.Gateway.Http;
using CivicEdge.Gateway.Metrics;
using CivicEdge.Gateway.Ota;
using CivicEdge.Gateway.SelfUpdate;
using CivicEdge.Gateway.Storage;
using CivicEdge.Gateway.Twin;
using CivicEdge.Gateway.Uplink;
using CivicEdge.Hardware;
using CivicEdge.Rules.Documents;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CivicEdge.Gateway.Hosting;

/// <summary>
/// Registers the gateway runtime: options validated at start-up, outbox, pollers, configuration applied while running
/// (local file and fleet twin), uplink, health report, local HTTP API, readiness line.
/// </summary>
public static class GatewayServiceCollectionExtensions
{
    /// <summary>How many readings may wait between the pollers and the outbox before pollers wait for the disk.</summary>
    public const int ReadingQueueCapacity = 10_000;

    /// <summary>How many events may wait between their producers (alarm limits, GPIO, rules) and the outbox.</summary>
    public const int EventQueueCapacity = 1_000;

    /// <summary>
    /// Adds the gateway. Hosted services start in this order and stop in reverse: the outbox writer, the pollers, the
    /// GPIO outputs and inputs (when a <c>Gpio</c> section is configured), the twin (which starts the first
    /// configuration polling and then watches for changes), the uplink, the health report, the local API, the readiness
    /// line; so on shutdown the uplink says goodbye first and the writer commits last.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configuration">The configuration to bind the <c>Gateway</c>, <c>Uplink</c>, <c>Devices</c> and <c>Gpio</c> keys from.</param>
    /// <param name="readyOutput">Where the readiness line goes; standard output when null.</param>
    public static IServiceCollection AddCivicEdgeGateway(this IServiceCollection services, IConfiguration configuration, TextWriter? readyOutput = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<GatewayOptions>()
            .Configure(options => StrictBinding.Bind(configuration.GetSection(GatewayOptions.SectionName), options, LocalApiOptions.SubsectionName, "Outbox"))
            .ValidateOnStart();
        services.AddOptions<OutboxOptions>()
            .Configure(options => StrictBinding.Bind(configuration.GetSection(OutboxOptions.SectionName), options))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<OutboxOptions>, OutboxOptionsValidator>();
        services.AddSingleton<IPostConfigureOptions<GatewayOptions>, GatewayOptionsDefaults>();
        services.AddSingleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>();
        services.AddOptions<UplinkOptions>()
            .Configure(options => StrictBinding.Bind(configuration.GetSection(UplinkOptions.SectionName), options))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<UplinkOptions>, UplinkOptionsValidator>();
        services.AddOptions<DevicesOptions>()
            .Configure(options => StrictBinding.BindDevices(configuration, options))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<DevicesOptions>>(sp => new DevicesOptionsValidator(sp.GetRequiredService<ProfileCatalog>));
        services.AddOptions<HealthOptions>()
            .Configure(options => StrictBinding.Bind(configuration.GetSection(HealthOptions.SectionName), options))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<HealthOptions>, HealthOptionsValidator>();
        services.AddOptions<LocalApiOptions>()
            .Configure(options => StrictBinding.Bind(configuration.GetSection(LocalApiOptions.SectionName), options))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<LocalApiOptions>, LocalApiOptionsValidator>();
        services.AddOptions<CommandOptions>()
            .Configure(options => StrictBinding.Bind(configuration.GetSection(CommandOptions.SectionName), options))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<CommandOptions>, CommandOptionsValidator>();
        services.AddOptions<RulesOptions>()
            .Configure(options => StrictBinding.Bind(configuration.GetSection(RulesOptions.SectionName), options))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<RulesOptions>>(sp => new RulesOptionsValidator(sp.GetRequiredService<ProfileCatalog>));
        services.AddOptions<SelfUpdateOptions>()
            .Configure(options => StrictBinding.Bind(configuration.GetSection(SelfUpdateOptions.SectionName), options))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SelfUpdateOptions>, SelfUpdateOptionsValidator>();
        services.AddOptions<DeviceUpdateOptions>()
            .Configure(options =>
            {
                var section = configuration.GetSection(DeviceUpdateOptions.SectionName);
                StrictBinding.Bind(section, options, nameof(DeviceUpdateOptions.Transfer));
                StrictBinding.Bind(section.GetSection(nameof(DeviceUpdateOptions.Transfer)), options.Transfer);
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<DeviceUpdateOptions>, DeviceUpdateOptionsValidator>();
        services.AddMetrics();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IModbusMasterFactory, ModbusMasterFactory>();
        services.TryAddSingleton<IMeterBusFactory, MeterBusFactory>();
        services.AddSingleton(sp => ProfileLoader.LoadDirectory(sp.GetRequiredService<IOptions<GatewayOptions>>().Value.ProfilesPath!));
        services.TryAddSingleton<IDatabaseFiles>(DiskDatabaseFiles.Instance);
        services.AddSingleton(sp => new GatewayDatabase(
            sp.GetRequiredService<IOptions<GatewayOptions>>().Value.DataPath,
            sp.GetRequiredService<IDatabaseFiles>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<GatewayDatabase>>()));
        services.AddSingleton(sp => new Outbox(
            sp.GetRequiredService<GatewayDatabase>(),
            sp.GetRequiredService<IOptions<OutboxOptions>>().Value,
            sp.GetRequiredService<IOptions<GatewayOptions>>().Value.Id,
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new StorageHealth(sp.GetRequiredService<GatewayDatabase>().Recovery));
        services.AddSingleton(sp => new UplinkMonitor(sp.GetRequiredService<Outbox>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IAlarmStateStore>(sp => new AlarmStateStore(sp.GetRequiredService<GatewayDatabase>()));
        services.AddSingleton(sp => new DesiredStateStore(sp.GetRequiredService<GatewayDatabase>()));
        services.AddSingleton(sp => new ConfigurationFiles(configuration, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<UplinkState>();

        var readings = Channel.CreateBounded<DeviceReading>(new BoundedChannelOptions(ReadingQueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        var events = Channel.CreateBounded<DeviceEvent>(new BoundedChannelOptions(EventQueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        services.AddSingleton(readings.Reader);
        services.AddSingleton(events.Reader);

        // With edge rules, acquisition and GPIO hand their readings and events to the rules, which pass them on to the
        // outbox; without, straight to the outbox.
        var rulesEnabled = bool.TryParse(configuration[$"{RulesOptions.SectionName}:Enabled"], out var enabled) && enabled;
        var acquiredReadings = rulesEnabled
            ? Channel.CreateBounded<DeviceReading>(new BoundedChannelOptions(ReadingQueueCapacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true })
            : readings;
        var acquiredEvents = rulesEnabled
            ? Channel.CreateBounded<DeviceEvent>(new BoundedChannelOptions(EventQueueCapacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true })
            : events;
        services.AddSingleton(acquiredReadings.Writer);
        services.AddSingleton(acquiredEvents.Writer);

        services.TryAddSingleton<IUplinkTransport>(sp => new MqttUplinkTransport(
            sp.GetRequiredService<IOptions<GatewayOptions>>().Value.Id,
            sp.GetRequiredService<IOptions<UplinkOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton(sp => new OutboxDelivery(
            sp.GetRequiredService<Outbox>(),
            sp.GetRequiredService<IOptions<GatewayOptions>>().Value.Id,
            sp.GetRequiredService<IOptions<UplinkOptions>>().Value,
            sp.GetRequiredService<UplinkMonitor>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<OutboxDelivery>>()));

        services.AddSingleton<AcquisitionService>();
        services.AddSingleton(sp => new TwinService(
            sp.GetRequiredService<AcquisitionService>(),
            sp.GetRequiredService<IOptions<GatewayOptions>>(),
            sp.GetRequiredService<IOptions<DevicesOptions>>(),
            sp.GetRequiredService<ProfileCatalog>(),
            sp.GetRequiredService<ConfigurationFiles>(),
            sp.GetRequiredService<DesiredStateStore>(),
            sp.GetRequiredService<UplinkState>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<TwinService>>(),
            MqttUplinkTransport.Version,
            sp.GetService<RuleRunner>()));
        services.AddSingleton(sp => new HealthMonitor(
            sp.GetRequiredService<IOptions<GatewayOptions>>().Value.Id,
            MqttUplinkTransport.Version,
            sp.GetRequiredService<IOptions<HealthOptions>>().Value,
            sp.GetRequiredService<AcquisitionService>(),
            sp.GetRequiredService<Outbox>(),
            sp.GetRequiredService<UplinkMonitor>(),
            sp.GetRequiredService<StorageHealth>(),
            sp.GetRequiredService<TwinService>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton(sp =>
        {
            // The instruments exist once the exporter listens; the runtime's own meter adds process CPU, memory and GC.
            var exporter = new PrometheusExporter(GatewayMetrics.MeterName, "System.Runtime");
            sp.GetRequiredService<GatewayMetrics>();
            return exporter;
        });

        services.AddHostedService(sp => new OutboxWriter(
            sp.GetRequiredService<Outbox>(),
            sp.GetRequiredService<ChannelReader<DeviceReading>>(),
            sp.GetRequiredService<ChannelReader<DeviceEvent>>(),
            sp.GetRequiredService<StorageHealth>(),
            sp.GetRequiredService<IOptions<GatewayOptions>>().Value.Id,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<OutboxWriter>>()));
        if (rulesEnabled)
        {
            services.AddSingleton(sp =>
            {
                var options = sp.GetRequiredService<IOptions<RulesOptions>>().Value;
                var catalog = new ProfilePointCatalog(sp.GetRequiredService<ProfileCatalog>());
                var acquisition = sp.GetRequiredService<AcquisitionService>();
                var doors = sp.GetRequiredService<IOptions<GpioOptions>>().Value.Doors;
                return new RuleRunner(
                    options,
                    [.. options.Files.Select(file => RuleSetLoader.LoadFile(file, catalog))],
                    () => [.. acquisition.Pollers.Select(p => new RunningDevice(p.DeviceId, p.Profile.Model)),
                           .. doors.Select(d => new RunningDevice(d.DeviceId, ProfilePointCatalog.DoorContactModel))],
                    () => [.. acquisition.Snapshot().Where(c => c.Healthy && c.LastAnswer is not null).Select(c => c.DeviceId)],
                    (device, point, value, ct) => sp.GetRequiredService<CommandExecutor>().WritePointAsync(device, point, value, ct),
                    acquiredReadings.Reader,
                    readings.Writer,
                    acquiredEvents.Reader,
                    events.Writer,
                    sp.GetRequiredService<IOptions<GatewayOptions>>().Value.Id,
                    sp.GetRequiredService<TimeProvider>(),
                    sp.GetRequiredService<ILogger<RuleRunner>>());
            });

            // Started after the outbox writer and before every producer, so it stops after them and passes on all they sent.
            services.AddHostedService(sp => sp.GetRequiredService<RuleRunner>());
        }

        services.AddHostedService(sp => sp.GetRequiredService<AcquisitionService>());
        if (GpioServiceCollectionExtensions.HasGpio(configuration))
            services.AddCivicEdgeGpio(configuration);
        services.AddHostedService(sp => sp.GetRequiredService<TwinService>());
        services.AddSingleton(sp => new CommandExecutor(
            sp.GetRequiredService<AcquisitionService>(),
            sp.GetRequiredService<IOptions<GatewayOptions>>(),
            sp.GetRequiredService<IOptions<CommandOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<GpioOutputs>(),
            sp.GetService<RuleRunner>()));
        services.AddSingleton(sp => new CommandJournal(sp.GetRequiredService<GatewayDatabase>(), sp.GetRequiredService<IOptions<CommandOptions>>().Value.RememberedCommands));
        services.AddSingleton<CommandService>();
        services.AddHostedService(sp => sp.GetRequiredService<CommandService>());
        // Before the uplink, so that they subscribe to the offers and send what is owed on the first connection.
        var selfUpdate = bool.TryParse(configuration[$"{SelfUpdateOptions.SectionName}:Enabled"], out var selfUpdateOn) && selfUpdateOn;
        var deviceUpdate = bool.TryParse(configuration[$"{DeviceUpdateOptions.SectionName}:Enabled"], out var deviceUpdateOn) && deviceUpdateOn;
        if (selfUpdate)
        {
            services.AddSingleton(CreateSelfUpdate);
            services.AddHostedService(sp => sp.GetRequiredService<SelfUpdateService>());
        }
        if (deviceUpdate)
            services.AddSingleton(CreateFieldUpdateRelay);
        services.AddHostedService(sp => new OtaOfferDispatch(
            sp.GetRequiredService<IOptions<GatewayOptions>>().Value.Id,
            sp.GetService<SelfUpdateService>(),
            sp.GetService<FieldUpdateRelay>(),
            sp.GetRequiredService<UplinkState>(),
            sp.GetRequiredService<ILogger<OtaOfferDispatch>>()));
        services.AddHostedService(sp => new UplinkService(
            sp.GetRequiredService<IUplinkTransport>(),
            sp.GetRequiredService<OutboxDelivery>(),
            sp.GetRequiredService<UplinkMonitor>(),
            sp.GetRequiredService<IOptions<UplinkOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<UplinkService>>(),
            sp.GetRequiredService<UplinkState>()));
        services.AddSingleton(sp => new HealthPublisher(
            sp.GetRequiredService<HealthMonitor>(),
            sp.GetRequiredService<UplinkState>(),
            sp.GetRequiredService<IOptions<GatewayOptions>>().Value.Id,
            sp.GetRequiredService<IOptions<HealthOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<HealthPublisher>>()));
        services.AddHostedService(sp => sp.GetRequiredService<HealthPublisher>());
        services.AddSingleton(sp => new LocalApiServer(
            sp.GetRequiredService<IOptions<LocalApiOptions>>().Value,
            sp.GetRequiredService<HealthMonitor>(),
            sp.GetRequiredService<PrometheusExporter>(),
            sp.GetRequiredService<ILoggerFactory>()));
        services.AddHostedService(sp => sp.GetRequiredService<LocalApiServer>());
        services.AddHostedService(sp => new ReadinessReporter(
            sp.GetRequiredService<IOptions<GatewayOptions>>(),
            sp.GetRequiredService<AcquisitionService>(),
            sp.GetRequiredService<IHostApplicationLifetime>(),
            readyOutput ?? Console.Out));
        return services;
    }

    private static SelfUpdateService CreateSelfUpdate(IServiceProvider sp)
    {
        var options = sp.GetRequiredService<IOptions<SelfUpdateOptions>>().Value;
        var keys = options.TrustedKeyFiles.Select(file => OtaPublicKey.FromPem(File.ReadAllText(file))).ToList();
        var fleet = FleetClient(options, sp.GetRequiredService<IOptions<UplinkOptions>>().Value);
        var monitor = sp.GetRequiredService<UplinkMonitor>();
        var acquisition = sp.GetRequiredService<AcquisitionService>();
        return new SelfUpdateService(
            options,
            sp.GetRequiredService<IOptions<GatewayOptions>>().Value.Id,
            MqttUplinkTransport.Version,
            new OtaVerifier(keys),
            fleet,
            sp.GetRequiredService<UplinkState>(),
            () => TrialHealth.Judge(monitor.Snapshot(), acquisition.Snapshot()),
            sp.GetRequiredService<IHostApplicationLifetime>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<SelfUpdateService>>());
    }

    private static FieldUpdateRelay CreateFieldUpdateRelay(IServiceProvider sp)
    {
        var options = sp.GetRequiredService<IOptions<DeviceUpdateOptions>>().Value;
        var fleetOptions = sp.GetRequiredService<IOptions<SelfUpdateOptions>>().Value;
        var gateway = sp.GetRequiredService<IOptions<GatewayOptions>>().Value;
        var keys = fleetOptions.TrustedKeyFiles.Select(file => OtaPublicKey.FromPem(File.ReadAllText(file))).ToList();
        // Beside the database: payloads, report numbers and reports owed to the fleet survive a restart with it.
        var ota = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(gateway.DataPath))!, "device-ota");
        var loggers = sp.GetRequiredService<ILoggerFactory>();
        return new FieldUpdateRelay(
            new AcquisitionUpdateTargets(sp.GetRequiredService<AcquisitionService>(), options.Profiles),
            new OtaPayloadCache(FleetClient(fleetOptions, sp.GetRequiredService<IOptions<UplinkOptions>>().Value), Path.Combine(ota, "payloads"), new OtaVerifier(keys), loggers.CreateLogger<OtaPayloadCache>()),
            new DurableOtaStatusSink(gateway.Id, Path.Combine(ota, "owed"), sp.GetRequiredService<UplinkState>(), loggers.CreateLogger<DurableOtaStatusSink>()),
            Path.Combine(ota, "numbers"),
            options.Transfer,
            sp.GetRequiredService<TimeProvider>(),
            loggers);
    }

    /// <summary>
    /// The fleet's HTTP API as the gateway downloads artifacts from it, for its own updates and its devices', with its own
    /// ledger credential (the uplink's user name and password).
    /// </summary>
    private static HttpClient FleetClient(SelfUpdateOptions options, UplinkOptions uplink) =>
        new(new UplinkBasicAuthentication(uplink) { InnerHandler = new SocketsHttpHandler() })
        {
            BaseAddress = new Uri(options.FleetUrl.TrimEnd('/') + "/"),
            Timeout = TimeSpan.FromMinutes(2),
        };
}
