using System.CommandLine;
using CivicEdge.Fleet.Cli.Access;
using CivicEdge.Fleet.Cli.Health;
using CivicEdge.Fleet.Cli.Commands;
using CivicEdge.Fleet.Cli.Ledger;
using CivicEdge.Fleet.Cli.MBus;
using CivicEdge.Fleet.Cli.Meters;
using CivicEdge.Fleet.Cli.Modbus;
using CivicEdge.Fleet.Cli.Ota;
using CivicEdge.Fleet.Cli.Rules;
using Spectre.Console;

namespace CivicEdge.Fleet.Cli;

/// <summary>
/// The <c>civic</c> command tree. Output goes to an injected console and HTTP through an injected client factory, so
/// that tests run the real commands against a fake fleet; <c>civic modbus</c> talks to field devices directly. Requests to
/// the fleet carry the API key from <c>--api-key</c>, <c>CIVIC_API_KEY</c> or the settings file (<see cref="CivicConfigFile"/>).
/// </summary>
public static class CivicCommandLine
{
    public const string FleetEnvironmentVariable = "CIVIC_FLEET";
    public const string DefaultFleet = "http://127.0.0.1:5080";

    /// <summary>Exit code when the fleet cannot be reached or refuses the request.</summary>
    public const int FleetErrorExitCode = 3;

    /// <summary>Exit code when an argument names something unusable, e.g. a file that cannot be read.</summary>
    public const int UsageExitCode = 2;

    public const string GatewayEnvironmentVariable = "CIVIC_GATEWAY";
    public const string DefaultGateway = "http://127.0.0.1:5081";

    /// <param name="console">Where output goes.</param>
    /// <param name="httpClientFactory">Makes the HTTP client for a base address.</param>
    /// <param name="timeProvider">The clock; the system's by default.</param>
    /// <param name="environment">Reads an environment variable; the process's by default.</param>
    public static RootCommand Build(
        IAnsiConsole console,
        Func<Uri, HttpClient> httpClientFactory,
        TimeProvider? timeProvider = null,
        Func<string, string?>? environment = null)
    {
        var env = environment ?? Environment.GetEnvironmentVariable;
        var settings = new Lazy<(CivicConfigFile? File, FleetApiException? Problem)>(() =>
        {
            try
            {
                return (CivicConfigFile.Load(env), null);
            }
            catch (FleetApiException problem)
            {
                return (null, problem);
            }
        });

        var fleet = new Option<Uri>("--fleet")
        {
            Description = $"Base URL of the fleet API (env {FleetEnvironmentVariable}, or \"fleet\" in the settings file; default {DefaultFleet})",
            Recursive = true,
            DefaultValueFactory = result =>
            {
                var text = env(FleetEnvironmentVariable) is { Length: > 0 } fromEnv ? fromEnv : settings.Value.File?.Fleet ?? DefaultFleet;
                if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
                    return uri;
                result.AddError($"fleet URL: expected an absolute http(s) URL such as {DefaultFleet} in {FleetEnvironmentVariable} or the settings file; found '{text}'.");
                return null!;
            },
            CustomParser = result =>
            {
                var text = result.Tokens.Single().Value;
                if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
                    return uri;
                result.AddError($"--fleet: expected an absolute http(s) URL such as {DefaultFleet}; found '{text}'.");
                return null;
            },
        };
        var json = new Option<bool>("--json") { Description = "Print JSON for scripts instead of tables", Recursive = true };
        var apiKey = new Option<string?>("--api-key")
        {
            Description = $"Your API key (env {CivicConfigFile.ApiKeyEnvironmentVariable}, or \"apiKey\" in {CivicConfigFile.DefaultPath(env)})",
            Recursive = true,
        };

        var root = new RootCommand("civic — the CivicEdge command line for operators and installers");
        root.Options.Add(fleet);
        root.Options.Add(json);
        root.Options.Add(apiKey);

        FleetApiClient Client(ParseResult parse)
        {
            var baseUri = parse.GetValue(fleet)!;
            var http = httpClientFactory(baseUri.AbsoluteUri.EndsWith('/') ? baseUri : new Uri(baseUri.AbsoluteUri + "/"));
            if (KeyOf(parse) is { } key)
                http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
            return new FleetApiClient(http);
        }

        string? KeyOf(ParseResult parse)
        {
            if (parse.GetValue(apiKey) is { Length: > 0 } given)
                return given.Trim();
            if (env(CivicConfigFile.ApiKeyEnvironmentVariable) is { Length: > 0 } fromEnv)
                return fromEnv.Trim();
            var (file, problem) = settings.Value;
            if (problem is not null)
                throw problem;
            if (file is { ApiKey.Length: > 0, ReadableByOthers: true })
                console.MarkupLineInterpolated($"[yellow]warning:[/] {file.Path} holds your API key and other users may read it: chmod 600 it.");
            return file?.ApiKey?.Trim();
        }

        async Task<int> Run(Func<Task> action)
        {
            try
            {
                await action();
                return 0;
            }
            catch (FleetApiException ex)
            {
                console.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
                return FleetErrorExitCode;
            }
        }

        root.Subcommands.Add(DeviceCommands.Build(console, json, parse => new LedgerApiClient(Client(parse)), Run));
        root.Subcommands.Add(BrokerCommands.Build(console, json, parse => new LedgerApiClient(Client(parse)), Run));
        foreach (var command in HealthCommands.Build(console, json, parse => new HealthApiClient(Client(parse)), Run))
            root.Subcommands.Add(command);
        root.Subcommands.Add(RemoteCommands.Build(console, json, parse => new CommandApiClient(Client(parse)), Run));

        var device = new Argument<string>("device") { Description = "The device's unified device code" };
        var from = new Option<DateTimeOffset?>("--from") { Description = "Start of the series window (ISO 8601; default: one hour ago)" };
        var to = new Option<DateTimeOffset?>("--to") { Description = "End of the series window (ISO 8601; default: now)" };
        var limit = new Option<int?>("--limit") { Description = "At most this many samples per point (default: the fleet's, 500)" };
        limit.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is <= 0)
                result.AddError("--limit: expected a positive number of samples.");
        });
        var interval = new Option<string?>("--interval") { Description = "raw (default), or aggregates per 1m, 15m, 1h or 1d (UTC-aligned)" };
        interval.AcceptOnlyFromAmong("raw", "1m", "15m", "1h", "1d");
        var aggregate = new Option<string?>("--aggregate") { Description = "With --interval: min,max,avg,last,count (default: all)" };
        var points = new Option<string?>("--points") { Description = "Only these points, comma-separated" };
        var csv = new Option<bool>("--csv") { Description = "Print the fleet's CSV export (with units, quality and sequence numbers) instead of a table" };
        var telemetry = new Command("telemetry", "Latest values and series of one device, raw or aggregated per interval")
        {
            device, from, to, limit, interval, aggregate, points, csv,
        };
        telemetry.Validators.Add(result =>
        {
            if (result.GetValue(csv) && result.GetValue(json))
                result.AddError("--csv and --json: choose one output format.");
            if (result.GetValue(aggregate) is not null && result.GetValue(interval) is null or "raw")
                result.AddError("--aggregate: applies with --interval 1m, 15m, 1h or 1d.");
            if (result.GetValue(limit) is not null && result.GetValue(interval) is not (null or "raw"))
                result.AddError("--limit: applies to raw samples, not with --interval.");
        });
        telemetry.SetAction((parse, ct) => Run(async () =>
        {
            var id = parse.GetValue(device)!;
            var bucketed = parse.GetValue(interval) is { } width && width != "raw" ? width : null;
            if (parse.GetValue(csv))
            {
                await Client(parse).ExportCsvAsync(
                    id, parse.GetValue(from), parse.GetValue(to), bucketed, parse.GetValue(aggregate), parse.GetValue(points), console.Profile.Out.Writer, ct);
            }
            else if (bucketed is not null)
            {
                var result = await Client(parse).GetAggregatedTelemetryAsync(
                    id, parse.GetValue(from), parse.GetValue(to), bucketed, parse.GetValue(aggregate), parse.GetValue(points), ct);
                if (parse.GetValue(json))
                    OutputFormat.WriteJson(console, result, Contracts.ContractsJson.Default.AggregatedTelemetry);
                else
                    OutputFormat.WriteAggregates(console, result);
            }
            else
            {
                var result = await Client(parse).GetTelemetryAsync(
                    id, parse.GetValue(from), parse.GetValue(to), parse.GetValue(limit), ct, parse.GetValue(points));
                if (parse.GetValue(json))
                    OutputFormat.WriteJson(console, result, Contracts.ContractsJson.Default.DeviceTelemetry);
                else
                    OutputFormat.WriteTelemetry(console, result);
            }
        }));
        root.Subcommands.Add(telemetry);

        var twinDevice = new Argument<string>("device") { Description = "The gateway's (or IP device's) unified device code" };
        var twin = new Command("twin", "A gateway's twin: the configuration the fleet wants it to run, and what it reports running");
        var twinGet = new Command("get", "Show the desired and the reported state") { twinDevice };
        twinGet.SetAction((parse, ct) => Run(async () =>
        {
            var result = await Client(parse).GetTwinAsync(parse.GetValue(twinDevice)!, ct);
            if (parse.GetValue(json))
                OutputFormat.WriteJson(console, result, Contracts.ContractsJson.Default.DeviceTwin);
            else
                OutputFormat.WriteTwin(console, result);
        }));
        var desiredFile = new Option<FileInfo>("--file")
        {
            Description = "A JSON file with devices, buses (optional) and profiles (optional), keys as in the gateway's configuration file",
            Required = true,
        };
        var twinSet = new Command("set", "Set the desired configuration; the fleet raises its version and sends it to the gateway") { twinDevice, desiredFile };
        twinSet.SetAction(async (parse, ct) =>
        {
            var file = parse.GetValue(desiredFile)!;
            string text;
            try
            {
                text = await File.ReadAllTextAsync(file.FullName, ct);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                console.MarkupLineInterpolated($"[red]error:[/] --file: cannot read {file.FullName}: {ex.Message}");
                return UsageExitCode;
            }

            return await Run(async () =>
            {
                var state = await Client(parse).SetDesiredAsync(parse.GetValue(twinDevice)!, text, ct);
                if (parse.GetValue(json))
                    OutputFormat.WriteJson(console, state, Contracts.ContractsJson.Default.DesiredState);
                else
                    console.MarkupLineInterpolated($"Desired version [bold]{state.Version}[/] of {parse.GetValue(twinDevice)} set at {state.UpdatedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC; `civic twin get` shows when the gateway has applied it.");
            });
        });
        twin.Subcommands.Add(twinGet);
        twin.Subcommands.Add(twinSet);
        root.Subcommands.Add(twin);

        var gatewayUrl = new Option<Uri>("--gateway")
        {
            Description = $"Base URL of the gateway's local API (env {GatewayEnvironmentVariable}; default {DefaultGateway})",
            DefaultValueFactory = _ => new Uri(Environment.GetEnvironmentVariable(GatewayEnvironmentVariable) is { Length: > 0 } fromEnv ? fromEnv : DefaultGateway),
            CustomParser = result =>
            {
                var text = result.Tokens.Single().Value;
                if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
                    return uri;
                result.AddError($"--gateway: expected an absolute http(s) URL such as {DefaultGateway}; found '{text}'.");
                return null;
            },
        };
        var gateway = new Command("gateway", "Talk to a gateway directly, on site");
        var status = new Command("status", "The gateway's health: process, disk, outbox, uplink and a verdict per field device") { gatewayUrl };
        status.SetAction((parse, ct) => Run(async () =>
        {
            var baseUri = parse.GetValue(gatewayUrl)!;
            var http = httpClientFactory(baseUri.AbsoluteUri.EndsWith('/') ? baseUri : new Uri(baseUri.AbsoluteUri + "/"));
            var client = new FleetApiClient(http, "the gateway", "Is civicedge-gateway running with its local API on (Gateway:Http:Enabled, Gateway:Http:Url)? Point elsewhere with --gateway URL or CIVIC_GATEWAY.");
            var report = await client.GetGatewayStatusAsync(ct);
            if (parse.GetValue(json))
                OutputFormat.WriteJson(console, report, Contracts.ContractsJson.Default.HealthReport);
            else
                OutputFormat.WriteGatewayStatus(console, report);
        }));
        gateway.Subcommands.Add(status);
        root.Subcommands.Add(gateway);

        foreach (var command in AccessCommands.Build(console, json, Client, Run, timeProvider ?? TimeProvider.System))
            root.Subcommands.Add(command);
        root.Subcommands.Add(ModbusCommands.Build(console, json, timeProvider ?? TimeProvider.System));
        root.Subcommands.Add(MbusCommands.Build(console, json));
        foreach (var command in MeterCommands.Build(console, json, timeProvider ?? TimeProvider.System))
            root.Subcommands.Add(command);
        root.Subcommands.Add(RuleCommands.Build(console, json));
        root.Subcommands.Add(OtaCommands.Build(console, json, parse => new OtaApiClient(Client(parse)), Run, timeProvider ?? TimeProvider.System));
        return root;
    }
}
