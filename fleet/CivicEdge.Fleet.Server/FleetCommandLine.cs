using System.Globalization;
using System.Text;
using CivicEdge.Fleet.Core;
using CivicEdge.Fleet.Core.Ledger;
using CivicEdge.Fleet.Core.Ledger.Codes;
using CivicEdge.Fleet.Core.Security;
using CivicEdge.Fleet.Server.Security;

namespace CivicEdge.Fleet.Server;

/// <summary>
/// The command line of <c>civicedge-fleet</c>. Every setting is a configuration key (<c>--Fleet:Broker:Port=1884</c>,
/// environment variable <c>CIVICEDGE_Fleet__Broker__Port</c>, or <c>appsettings.json</c>); the few used every day have short aliases.
/// </summary>
internal static class FleetCommandLine
{
    /// <summary>The prefix of the environment variables every CivicEdge program reads.</summary>
    public const string EnvironmentPrefix = "CIVICEDGE_";

    /// <summary>The short aliases, as the command-line configuration provider takes them.</summary>
    public static Dictionary<string, string> SwitchMappings() => new(StringComparer.Ordinal)
    {
        ["--http-url"] = $"{FleetHttpOptions.Section}:Url",
        ["--mqtt-port"] = $"{BrokerOptions.Section}:Port",
        ["--db"] = $"{FleetStorageOptions.Section}:Path",
    };

    /// <summary>
    /// True when the process serves HTTP with its own Kestrel server, and so owns its exit code; false when a host
    /// embeds the entry point with a server of its own (e.g. an in-process test server), which should see a failed start
    /// as the exception it is rather than as an entry point that returned.
    /// </summary>
    public static bool ServesItself(WebApplication app) =>
        app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().GetType().Assembly
            == typeof(Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions).Assembly;

    public static bool AsksForHelp(IEnumerable<string> args) =>
        args.Any(arg => arg is "--help" or "-h" or "-?" or "/?");

    public static string Usage()
    {
        var http = new FleetHttpOptions();
        var broker = new BrokerOptions();
        var storage = new FleetStorageOptions();
        var retention = new RetentionOptions();
        var ingest = new TelemetryIngestOptions();
        var ledger = new LedgerOptions();
        var security = new SecurityOptions();
        var brokerSecurity = new BrokerSecurityOptions();

        var text = new StringBuilder()
            .AppendLine("civicedge-fleet: the CivicEdge fleet manager (embedded MQTT 5 broker, telemetry ingest, REST API)")
            .AppendLine()
            .AppendLine("Usage: civicedge-fleet [options]")
            .AppendLine()
            .AppendLine("Options:")
            .AppendLine($"  --http-url <url>        {FleetHttpOptions.Section}:Url (default {http.Url}); --urls also works")
            .AppendLine($"  --mqtt-port <port>      {BrokerOptions.Section}:Port (default {broker.Port})")
            .AppendLine($"  --db <path>             {FleetStorageOptions.Section}:Path (default {storage.Path})")
            .AppendLine("  -h, --help              show this help and exit")
            .AppendLine()
            .AppendLine("Every setting, as --Key=value, environment variable (':' written '__', e.g. CIVICEDGE_Fleet__Broker__Port=1884)")
            .AppendLine("or appsettings.json entry:");

        Setting($"{FleetHttpOptions.Section}:Url", http.Url, "where the REST API listens; port 0 picks a free one");
        Setting($"{BrokerOptions.Section}:Embedded", broker.Embedded ? "true" : "false", "run the MQTT broker in this process; false: use the one at Host:Port");
        Setting($"{BrokerOptions.Section}:Host", broker.Host, "the broker host the fleet connects to");
        Setting($"{BrokerOptions.Section}:Port", Invariant(broker.Port), "the broker port");
        Setting($"{BrokerOptions.Section}:BindAddress", broker.BindAddress, "the address the embedded broker listens on");
        Setting($"{BrokerOptions.Section}:ClientId", "civicedge-fleet-<host>-<pid>", "the fleet's MQTT client id");
        Setting($"{BrokerOptions.Section}:TelemetrySubscription", broker.TelemetrySubscription, "e.g. $share/fleet/civic/v1/+/telemetry");
        Setting($"{BrokerOptions.Section}:StateSubscription", broker.StateSubscription, "births and deaths of sources");
        Setting($"{BrokerOptions.Section}:ReportedSubscription", broker.ReportedSubscription, "twin reported states of sources");
        Setting($"{BrokerOptions.Section}:HealthSubscription", broker.HealthSubscription, "health reports of sources");
        Setting($"{BrokerOptions.Section}:EventsSubscription", broker.EventsSubscription, "events (alarms), acknowledged like telemetry");
        Setting($"{BrokerOptions.Section}:LiveSubscription", broker.LiveSubscription, "live values shown while a gateway catches up");
        Setting($"{BrokerOptions.Section}:ReconnectDelay", broker.ReconnectDelay.ToString("c", CultureInfo.InvariantCulture), "first wait before reconnecting; doubles");
        Setting($"{BrokerOptions.Section}:MaxReconnectDelay", broker.MaxReconnectDelay.ToString("c", CultureInfo.InvariantCulture), "longest wait before reconnecting");
        Setting($"{BrokerOptions.Section}:Authentication", brokerSecurity.Authentication ? "true" : "false", "devices authenticate against the ledger and keep to their topics; false: a lab broker open to anyone");
        Setting($"{BrokerOptions.Section}:Username", brokerSecurity.Username, "the fleet's own MQTT user");
        Setting($"{BrokerOptions.Section}:PasswordFile", "the generated secret", "a file whose first line is the fleet's MQTT password");
        Setting($"{BrokerOptions.Section}:MaxPayloadBytes", Invariant(brokerSecurity.MaxPayloadBytes), "larger messages are refused and counted");
        Setting($"{BrokerOptions.Section}:Tls:Enabled", "false", "the broker port speaks TLS (embedded: certificate of the fleet CA)");
        Setting($"{BrokerOptions.Section}:Tls:CertificateFile, :KeyFile", "issued by the fleet CA", "the embedded broker's own certificate and key (PEM)");
        Setting($"{BrokerOptions.Section}:Tls:CaFile", "fleet CA / system store", "the CA the fleet trusts the broker's certificate by");
        Setting($"{BrokerOptions.Section}:Tls:ServerNames", "Host, localhost, 127.0.0.1, machine name", "names the issued broker certificate carries");
        Setting($"{LedgerOptions.Section}:Path", "<store>.ledger.db", "the ledger's LiteDB file");
        Setting($"{LedgerOptions.Section}:CodeScheme", ledger.CodeScheme, $"the unified device code scheme: {string.Join(", ", DeviceCodeSchemes.Names)}");
        Setting($"{LedgerOptions.Section}:CodePattern", "none", "pattern scheme: a regular expression a whole code matches");
        Setting($"{LedgerOptions.Section}:CodeCheckCharacter", ledger.CodeCheckCharacter, "pattern scheme: none, mod37-36 or mod11-10 (ISO/IEC 7064)");
        Setting($"{LedgerOptions.Section}:DuplicateRadiusMetres", ledger.DuplicateRadiusMetres.ToString(CultureInfo.InvariantCulture), "same sensing this close warns; 0: no check");
        Setting($"{LedgerOptions.Section}:ClaimTokenLifetime", ledger.ClaimTokenLifetime.ToString("c", CultureInfo.InvariantCulture), "claim tokens' lifetime unless asked otherwise");
        Setting($"{LedgerOptions.Section}:MaxClaimTokenLifetime", ledger.MaxClaimTokenLifetime.ToString("c", CultureInfo.InvariantCulture), "the longest a claim token may be given");
        Setting($"{SecurityOptions.Section}:Path", "<store>.security", "fleet CA, broker certificate, the fleet's MQTT secret");
        Setting($"{SecurityOptions.Section}:HashIterations", Invariant(security.HashIterations), "PBKDF2-SHA512 iterations per device secret");
        Setting($"{SecurityOptions.Section}:CredentialGracePeriod", security.CredentialGracePeriod.ToString("c", CultureInfo.InvariantCulture), "how long a rotated credential stays valid");
        Setting($"{SecurityOptions.Section}:CertificateValidity", security.CertificateValidity.ToString("c", CultureInfo.InvariantCulture), "device certificates of the fleet CA");
        Setting($"{SecurityOptions.Section}:PasswordCacheLifetime", security.PasswordCacheLifetime.ToString("c", CultureInfo.InvariantCulture), "a device password that passed PBKDF2 is taken unhashed this long (downloads)");
        Setting($"{SecurityOptions.Section}:PasswordCacheEntries", Invariant(security.PasswordCacheEntries), "verified device passwords kept at most");
        Setting($"{SecurityOptions.Section}:MaxFailedPasswords", Invariant(security.MaxFailedPasswords), "wrong device passwords per window before tries are refused unchecked");
        Setting($"{SecurityOptions.Section}:FailedPasswordWindow", security.FailedPasswordWindow.ToString("c", CultureInfo.InvariantCulture), "the window wrong passwords are counted over");
        var commands = new Commands.CommandOptions();
        Setting($"{Commands.CommandOptions.Section}:DefaultExpiry", commands.DefaultExpiry, "how long a command waits for its gateway and result");
        Setting($"{Commands.CommandOptions.Section}:MaxExpiry", commands.MaxExpiry, "the longest expiry a request may ask for");
        Setting($"{Commands.CommandOptions.Section}:MaxWait", commands.MaxWait, "the longest POST /api/commands?wait= holds on");
        Setting($"{Commands.CommandOptions.Section}:MaxTargets", Invariant(commands.MaxTargets), "most devices one request may reach");
        Setting($"{Commands.CommandOptions.Section}:ResendAfter", commands.ResendAfter, "a sent command without a result goes out again after this");
        Setting($"{Commands.CommandOptions.Section}:SweepInterval", commands.SweepInterval, "how often open commands are checked for expiry");
        Setting($"{FleetOptionsValidator.IngestSection}:MaxRecordsPerBatch", Invariant(ingest.MaxRecordsPerBatch), "larger batches are rejected");
        Setting($"{FleetOptionsValidator.IngestSection}:MaxPointsPerRecord", Invariant(ingest.MaxPointsPerRecord), "larger records are rejected");
        Setting($"{FleetOptionsValidator.IngestSection}:MaxNameLength", Invariant(ingest.MaxNameLength), "longest id, stream, point or unit");
        Setting($"{Access.AccessOptions.Section}:BootstrapKey", "made and printed at first start", "an admin key ce_<id>_<secret> to accept");
        Setting($"{Access.AccessOptions.Section}:BootstrapKeyFile", "none", "read the bootstrap key from, or write a new one to, this file");
        Setting($"{Access.AccessOptions.Section}:Jwt:Enabled", "false", "accept bearer JWTs from the city's identity provider");
        Setting($"{Access.AccessOptions.Section}:Jwt:Issuer, :Audience", "none", "what the tokens' iss and aud must be");
        Setting($"{Access.AccessOptions.Section}:Jwt:SigningKeysFile", "none", "the provider's keys: a JWKS file or a PEM public key");
        Setting($"{Access.AccessOptions.Section}:Jwt:RoleClaim", "role", "the claim holding the person's role");
        Setting($"{Access.AccessOptions.Section}:Jwt:TenantClaim", "tenant", "the claim holding the tenants (* = the whole city)");
        Setting($"{Access.AccessOptions.Section}:Jwt:Roles:<idp role>", "fleet names", "map a provider role to admin|operator|installer|regulator");
        Setting($"{FleetStorageOptions.Section}:Provider", storage.Provider, "litedb (one node, embedded) or postgresql (any number of nodes)");
        Setting($"{FleetStorageOptions.Section}:Path", storage.Path, "the LiteDB file");
        Setting($"{FleetStorageOptions.Section}:ConnectionString", "none", "PostgreSQL: Host=…;Database=…;Username=…;Password=…");
        Setting($"{FleetStorageOptions.Section}:Schema", storage.Schema, "PostgreSQL: the schema of the fleet's tables");
        Setting($"{FleetStorageOptions.Section}:PartitionsAhead", Invariant(storage.PartitionsAhead), "PostgreSQL: days of telemetry partitions made ahead");
        Setting($"{RetentionOptions.Section}:Telemetry", "keep", "remove telemetry older than this, e.g. 400d");
        Setting($"{RetentionOptions.Section}:Events", "keep", "remove events older than this, e.g. 800d");
        Setting($"{RetentionOptions.Section}:Interval", retention.Interval, "how often the leading node removes what expired");
        Setting($"{FleetOptionsValidator.IngestSection}:MaxRecordsPerBatch", Invariant(ingest.MaxRecordsPerBatch), "larger batches are rejected");
        Setting($"{FleetOptionsValidator.IngestSection}:MaxPointsPerRecord", Invariant(ingest.MaxPointsPerRecord), "larger records are rejected");
        Setting($"{FleetOptionsValidator.IngestSection}:MaxNameLength", Invariant(ingest.MaxNameLength), "longest id, stream, point or unit");
        Setting($"{FleetOptionsValidator.IngestSection}:Concurrency", Invariant(ingest.Concurrency), "sources ingested at once, each in order");

        return text
            .AppendLine()
            .AppendLine("Once the REST API and the MQTT endpoint accept work it prints:")
            .AppendLine("  civicedge-fleet ready http=<url> mqtt=<host>:<port>")
            .ToString();

        void Setting(string key, string defaultValue, string meaning) =>
            text.AppendLine($"  {key,-45} {meaning} (default {defaultValue})");

        static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
