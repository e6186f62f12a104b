using System.CommandLine;
using System.Globalization;
using CivicEdge.Simulators.Load;

namespace CivicEdge.Simulators.Host;

/// <summary>
/// <c>civicsim load</c>: many simulated gateways against a fleet's MQTT broker, speaking the real contract (numbered
/// readings in batches, waiting for the fleet's acknowledgements), until the duration has passed or Ctrl+C. Prints
/// <c>civicsim ready load …</c> once every gateway is connected, progress every five seconds, and last
/// <c>civicsim load done key=value…</c> with the figures after the warm-up. Against a fleet whose broker authenticates
/// devices, <c>--fleet-api</c> with an API key (<c>--api-key</c> or <c>CIVIC_API_KEY</c>) first registers the gateways
/// and issues each a password through the fleet's REST API, and registers the field devices behind them
/// (<c>--device-model</c>, <c>--device-firmware</c>). With <c>--ota-trust</c> the gateways take the fleet's OTA offers
/// for their devices: downloads from <c>--fleet-api</c> with each gateway's own credential (or <c>--ota-api-key</c>),
/// a feed over the modelled local bus at <c>--ota-feed-rate</c>, and <c>--ota-failure-rate</c> of the devices, chosen
/// from <c>--ota-seed</c>, rolling back.
/// </summary>
internal static class LoadCommand
{
    private const int ConnectFailed = 1;

    public static Command Create()
    {
        var host = new Option<string>("--host") { Description = "The fleet's MQTT broker.", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "The broker's port.", DefaultValueFactory = _ => 1883 };
        var gateways = Positive("--gateways", "Simulated gateways, each an MQTT connection of its own.", 100);
        var devices = Positive("--devices-per-gateway", "Field devices behind each gateway: one reading each per batch.", 10);
        var points = Positive("--points", "Points per reading.", 10);
        var inFlight = Positive("--max-in-flight", "Batches a gateway may have awaiting acknowledgement.", 2);
        var interval = Duration("--interval", "Time between a gateway's batches; 0 sends as fast as acknowledgements come.", "1s");
        var duration = new Option<string?>("--duration") { Description = "How long to count after the warm-up, e.g. 60s (default: until Ctrl+C)." };
        var warmUp = Duration("--warm-up", "Time to run before counting.", "0s");
        var keepAlive = Duration("--keep-alive", "MQTT keep-alive of every connection.", "60s");
        var idle = new Option<bool>("--idle") { Description = "Connect and stay connected with keep-alive, sending nothing." };
        var prefix = new Option<string>("--prefix") { Description = "Gateway ids are this and a number.", DefaultValueFactory = _ => "gw-load-" };
        var fleetApi = new Option<Uri?>("--fleet-api")
        {
            Description = "The fleet's REST API, e.g. http://127.0.0.1:5080: register the gateways and issue their passwords there first (the broker authenticates).",
            CustomParser = result =>
            {
                var text = result.Tokens.Single().Value;
                if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
                    return uri;
                result.AddError($"--fleet-api: expected an absolute http(s) URL such as http://127.0.0.1:5080; found '{text}'.");
                return null;
            },
        };
        var apiKey = new Option<string?>("--api-key") { Description = $"An API key that may register devices and manage credentials (default: env {ApiKeyVariable})." };
        var tenant = new Option<string>("--tenant") { Description = "The tenant the gateways are registered for.", DefaultValueFactory = _ => "load-test" };
        var deviceModel = new Option<string>("--device-model") { Description = "The hardware model of every field device, in its readings and its ledger entry.", DefaultValueFactory = _ => "eastron-sdm630" };
        var deviceFirmware = new Option<string>("--device-firmware") { Description = "The firmware version every field device runs at the start.", DefaultValueFactory = _ => "1.0.0" };
        var healthInterval = Duration("--health-interval", "Time between a gateway's health reports.", "60s");
        healthInterval.Validators.Add(result =>
        {
            if (TryParseDuration(result.GetValueOrDefault<string>(), out var every) && every <= TimeSpan.Zero)
                result.AddError($"--health-interval: expected a duration above zero such as 60s; found '{result.GetValueOrDefault<string>()}'.");
        });
        var otaTrust = new Option<FileInfo[]>("--ota-trust") { Description = "A release signer's public key (PEM) the gateways trust; given, they take OTA offers for their devices. Repeat for several.", AllowMultipleArgumentsPerToken = false };
        var otaFeedRate = new Option<long>("--ota-feed-rate") { Description = "Bytes per second a gateway's local bus carries to a device being updated; 0 feeds at once.", DefaultValueFactory = _ => 0 };
        var otaFeeds = Positive("--ota-feeds-at-once", "Devices of one gateway fed at the same time (1: one bus, one transaction at a time).", 1);
        var otaFailureRate = new Option<double>("--ota-failure-rate") { Description = "The share of devices (0-1) whose new image fails its boot health check and rolls back.", DefaultValueFactory = _ => 0 };
        var otaSeed = new Option<int?>("--ota-seed") { Description = "Chooses the failing devices (default: a random one); printed at the start so a run can be reproduced." };
        var otaApiKey = new Option<string?>("--ota-api-key") { Description = "Download with this API key instead of each gateway's own credential." };
        otaFeedRate.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<long>() < 0)
                result.AddError($"--ota-feed-rate: expected bytes per second, 0 or more; found {result.GetValueOrDefault<long>()}.");
        });
        otaFailureRate.Validators.Add(result =>
        {
            var rate = result.GetValueOrDefault<double>();
            if (rate is < 0 or > 1 || double.IsNaN(rate))
                result.AddError($"--ota-failure-rate: expected a share from 0 to 1, e.g. 0.03; found {rate.ToString(CultureInfo.InvariantCulture)}.");
        });
        duration.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } text && !TryParseDuration(text, out _))
                result.AddError($"--duration: expected a duration such as 60s, 5m or 500ms; found '{text}'.");
        });

        var command = new Command("load", "Many simulated gateways sending numbered readings to a fleet and waiting for its acknowledgements.")
        {
            host, port, gateways, devices, points, inFlight, interval, duration, warmUp, keepAlive, idle, prefix, fleetApi, apiKey, tenant,
            deviceModel, deviceFirmware, healthInterval, otaTrust, otaFeedRate, otaFeeds, otaFailureRate, otaSeed, otaApiKey,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(otaTrust) is { Length: > 0 } && result.GetValue(fleetApi) is null)
                result.AddError("--ota-trust: expected --fleet-api too, the fleet the gateways download their payloads from; found none.");
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            TryParseDuration(parse.GetValue(interval)!, out var every);
            TryParseDuration(parse.GetValue(warmUp)!, out var warm);
            TryParseDuration(parse.GetValue(keepAlive)!, out var alive);
            TryParseDuration(parse.GetValue(healthInterval)!, out var healthEvery);
            TimeSpan? runFor = parse.GetValue(duration) is { } text && TryParseDuration(text, out var parsed) ? parsed : null;
            var options = new LoadOptions
            {
                Host = parse.GetValue(host)!,
                Port = parse.GetValue(port),
                Gateways = parse.GetValue(gateways),
                DevicesPerGateway = parse.GetValue(devices),
                Points = parse.GetValue(points),
                MaxInFlight = parse.GetValue(inFlight),
                Interval = every,
                Duration = runFor,
                WarmUp = warm,
                KeepAlive = alive,
                Idle = parse.GetValue(idle),
                Prefix = parse.GetValue(prefix)!,
                DeviceModel = parse.GetValue(deviceModel)!,
                DeviceFirmware = parse.GetValue(deviceFirmware)!,
                HealthInterval = healthEvery,
            };

            if (parse.GetValue(otaTrust) is { Length: > 0 } trusted)
            {
                var keys = new List<CivicEdge.Fleet.Contracts.Ota.OtaPublicKey>();
                foreach (var file in trusted)
                {
                    try
                    {
                        keys.Add(CivicEdge.Fleet.Contracts.Ota.OtaPublicKey.FromPem(await File.ReadAllTextAsync(file.FullName, cancellationToken)));
                    }
                    catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException)
                    {
                        await Console.Error.WriteLineAsync($"civicsim load: --ota-trust {file.FullName}: {exception.Message}");
                        return ConnectFailed;
                    }
                }

                options = options with
                {
                    Ota = new LoadOtaOptions
                    {
                        FleetApi = parse.GetValue(fleetApi)!,
                        TrustedKeys = keys,
                        ApiKey = parse.GetValue(otaApiKey),
                        FeedBytesPerSecond = parse.GetValue(otaFeedRate),
                        FeedsAtOnce = parse.GetValue(otaFeeds),
                        FailureRate = parse.GetValue(otaFailureRate),
                        Seed = parse.GetValue(otaSeed) ?? Random.Shared.Next(),
                    },
                };
            }

            if (parse.GetValue(fleetApi) is { } api)
            {
                var key = parse.GetValue(apiKey) ?? Environment.GetEnvironmentVariable(ApiKeyVariable);
                if (string.IsNullOrWhiteSpace(key))
                {
                    await Console.Error.WriteLineAsync($"civicsim load: --fleet-api: expected an API key with --api-key or {ApiKeyVariable} to register the gateways with, found none");
                    return ConnectFailed;
                }

                try
                {
                    options = await EnrolAsync(options, api, key.Trim(), parse.GetValue(tenant)!, cancellationToken);
                }
                catch (InvalidOperationException exception)
                {
                    await Console.Error.WriteLineAsync($"civicsim load: {exception.Message}");
                    return ConnectFailed;
                }
                catch (HttpRequestException exception)
                {
                    await Console.Error.WriteLineAsync($"civicsim load: --fleet-api: expected the fleet's REST API at {api}, found none answering ({exception.Message})");
                    return ConnectFailed;
                }
            }

            try
            {
                var run = new LoadRun(options, Console.Out);
                var figures = await run.RunAsync(cancellationToken);
                Console.Out.WriteLine("civicsim load done " + figures.ToLine());
                if (run.OtaFigures is { } ota)
                    Console.Out.WriteLine("civicsim load ota done " + ota.ToLine());
                return 0;
            }
            catch (InvalidOperationException exception)
            {
                await Console.Error.WriteLineAsync($"civicsim load: {exception.Message}");
                return ConnectFailed;
            }
        });
        return command;
    }

    private const string ApiKeyVariable = "CIVIC_API_KEY";

    /// <summary>Registers the gateways and gives each the password the fleet issued.</summary>
    private static async Task<LoadOptions> EnrolAsync(LoadOptions options, Uri api, string key, string tenant, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = api.AbsoluteUri.EndsWith('/') ? api : new Uri(api.AbsoluteUri + "/") };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        var started = System.Diagnostics.Stopwatch.StartNew();
        var passwords = await LoadEnrolment.EnrolAsync(http, options, tenant, concurrency: 8, cancellationToken);
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"civicsim load enrolled {passwords.Count} gateways and {passwords.Count * options.DevicesPerGateway} devices ({options.DeviceModel} {options.DeviceFirmware}) at {api} in {started.Elapsed.TotalSeconds:F1} s"));
        return options with { Passwords = passwords };
    }

    private static Option<int> Positive(string name, string description, int defaultValue)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
                result.AddError($"{name}: expected a whole number of at least 1; found {result.GetValueOrDefault<int>()}.");
        });
        return option;
    }

    private static Option<string> Duration(string name, string description, string defaultValue)
    {
        var option = new Option<string>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(result =>
        {
            var text = result.GetValueOrDefault<string>();
            if (!TryParseDuration(text, out _))
                result.AddError($"{name}: expected a duration such as 1s, 500ms, 2m or 0; found '{text}'.");
        });
        return option;
    }

    /// <summary>Reads <c>500ms</c>, <c>1s</c>, <c>2m</c>, <c>1h</c> or <c>0</c>.</summary>
    private static bool TryParseDuration(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (text is "0")
            return true;
        if (string.IsNullOrEmpty(text))
            return false;

        var (number, unit) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], TimeSpan.FromMilliseconds(1))
            : text.EndsWith('s') ? (text[..^1], TimeSpan.FromSeconds(1))
            : text.EndsWith('m') ? (text[..^1], TimeSpan.FromMinutes(1))
            : text.EndsWith('h') ? (text[..^1], TimeSpan.FromHours(1))
            : (string.Empty, TimeSpan.Zero);
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var count))
            return false;
        duration = unit * count;
        return true;
    }
}
