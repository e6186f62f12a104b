using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using CivicEdge.Benchmarks;
using CivicEdge.Benchmarks.Peers;
using CivicEdge.Benchmarks.Scenarios;
using CivicEdge.Gateway.Storage;

// ./build.sh --target=Bench runs everything: first the head-to-head rates against the reference peers (libmodbus over
// TCP, the paced RTU line on a pty), then the BenchmarkDotNet benchmarks (time and allocations per operation), then a
// summary of all figures. `dotnet run -c Release -- --filter *Rtu*` picks benchmarks; `--no-rates` skips the rates and
// scenarios, `--rates tcp,outbox,rtu,otafeed,gateway,fleet,broker,connections,commands,ota,otastatus,otarollout` picks some of them, `--no-benchmarks`
// skips the BenchmarkDotNet part. `--otafeed-bytes N` sets the image the OTA feed scenario sends at 9600 baud (1 MiB
// takes about 20 minutes there; the default, 128 KiB, is scaled to 1 MiB in the figures); at 115200 baud it sends 1 MiB.
// The rollout scenario (`otarollout`, a campaign over civicsim's gateways) takes `--otarollout-devices N` (1000),
// `--otarollout-gateways N` (20), `--otarollout-bytes N` (1 MiB) and `--otarollout-feed-rate B/s` (1000000; 0 = instant).
var skipRates = args.Contains("--no-rates");
var skipBenchmarks = args.Contains("--no-benchmarks");
var ratesAt = Array.IndexOf(args, "--rates");
var rates = ratesAt >= 0 && ratesAt + 1 < args.Length ? args[ratesAt + 1].Split(',') : ["tcp", "outbox", "rtu", "otafeed", "gateway", "fleet", "broker", "connections", "commands", "ota", "otastatus", "otarollout"];
string[] valued = ["--rates", "--otafeed-bytes", "--otarollout-devices", "--otarollout-gateways", "--otarollout-bytes", "--otarollout-feed-rate"];
var slowOtaBytes = (int)Valued("--otafeed-bytes", 128 * 1024);
var rolloutDevices = (int)Valued("--otarollout-devices", 1000);
var rolloutGateways = (int)Valued("--otarollout-gateways", 20);
var rolloutBytes = (int)Valued("--otarollout-bytes", 1024 * 1024);
var rolloutFeedRate = Valued("--otarollout-feed-rate", 1_000_000);
var benchmarkArgs = args.Where((arg, i) => arg is not ("--no-rates" or "--no-benchmarks") && !valued.Contains(arg) && (i == 0 || !valued.Contains(args[i - 1]))).ToArray();
var failures = new List<string>();
TcpPollFigures? tcp = null;
var rtu = new List<RtuPollFigures>();
var otaFeed = new List<OtaFeedFigures>();
BrokerConnectionFigures? broker = null;
var loads = new List<GatewayLoadFigures>();
OutboxFigures? outbox = null;
var catchUp = new List<CatchUpFigures>();
var ingest = new List<FleetIngestFigures>();
var connections = new List<BrokerHoldingFigures>();
CommandFigures? commands = null;
OtaServingFigures? ota = null;
OtaRolloutFigures? rollout = null;
var otaStatus = new List<OtaStatusFigures>();

if (!skipRates)
{
    using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
    if (rates.Contains("tcp"))
    {
        using var build = new LibmodbusBuild();
        try
        {
            tcp = await TcpPollComparison.RunAsync(build, polls: 20_000, warmup: 20_000, timeout.Token);
        }
        catch (InvalidOperationException e)
        {
            failures.Add($"Modbus TCP against libmodbus: {e.Message}");
        }
    }

    if (rates.Contains("outbox"))
    {
        try
        {
            outbox = OutboxThroughput.Run(readings: 300_000, batchSize: OutboxWriter.MaxRecordsPerCommit);
            catchUp.Add(await CatchUpDelivery.RunAsync(records: 200_000, realFleet: false, timeout.Token));
            catchUp.Add(await CatchUpDelivery.RunAsync(records: 50_000, realFleet: true, timeout.Token));
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or OperationCanceledException)
        {
            failures.Add($"Outbox and catch-up: {e.Message}");
        }
    }

    foreach (var (baud, seconds) in rates.Contains("rtu") ? new[] { (9600, 5), (115200, 3) } : [])
    {
        try
        {
            rtu.Add(await RtuPollShare.RunAsync(baud, TimeSpan.FromSeconds(seconds), timeout.Token));
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            failures.Add($"Modbus RTU at {baud} baud: {e.Message}");
        }
    }

    foreach (var (baud, bytes) in rates.Contains("otafeed") ? new[] { (115200, 1 << 20), (9600, slowOtaBytes) } : [])
    {
        try
        {
            using var otaTimeout = new CancellationTokenSource(TimeSpan.FromMinutes(30));
            otaFeed.Add(await OtaFeedRate.RunAsync(baud, bytes, otaTimeout.Token));
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or OperationCanceledException)
        {
            failures.Add($"OTA feed at {baud} baud: {e.Message}");
        }
    }

    try
    {
        if (rates.Contains("gateway"))
        {
            // Both builds of the gateway, one after the other against the same meters and fleet.
            List<GatewayBuild> builds = [new("JIT (framework-dependent)", BuiltAssembly.Find("CivicEdge.Gateway.Host", "civicedge-gateway"))];
            if (EdgeBuild.Find() is { } edge)
                builds.Add(new("Native AOT (edge build)", edge));
            else
                failures.Add($"Gateway load scenario, Native AOT: the edge build is not published (artifacts/publish-aot/{EdgeBuild.Runtime}); run ./build.sh --target=PublishEdge first");
            loads.AddRange(await GatewayLoadScenario.RunAsync(builds, warmUp: TimeSpan.FromSeconds(20), measure: TimeSpan.FromSeconds(60), timeout.Token));
        }
    }
    catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException or HttpRequestException)
    {
        failures.Add($"Gateway load scenario: {e.Message}");
    }

    try
    {
        if (rates.Contains("broker"))
            broker = await BrokerConnectionScenario.RunAsync(devices: 2000, timeout.Token);
    }
    catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException or HttpRequestException)
    {
        failures.Add($"Broker connection scenario: {e.Message}");
    }

    // 100 gateways of 20 meters reading 10 points each, every gateway sending its next batch as soon as one of two in
    // flight is acknowledged: what the fleet persists when it is the bottleneck.
    foreach (var store in rates.Contains("fleet") ? new[] { "litedb", "postgresql" } : [])
    {
        try
        {
            ingest.Add(await FleetIngestScenario.RunAsync(store, gateways: 100, devicesPerGateway: 20, points: 10,
                warmUp: TimeSpan.FromSeconds(15), measure: TimeSpan.FromSeconds(45), timeout.Token));
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException or FormatException)
        {
            failures.Add($"Fleet ingest on {store}: {e.Message}");
        }
    }

    foreach (var count in rates.Contains("connections") ? new[] { 1_000, 5_000, 10_000 } : [])
    {
        try
        {
            connections.Add(await BrokerConnectionsScenario.RunAsync(count, timeout.Token));
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException or FormatException)
        {
            failures.Add($"Broker holding {count} connections: {e.Message}");
        }
    }

    try
    {
        if (rates.Contains("commands"))
            commands = await CommandRoundTripScenario.RunAsync(roundTrips: 500, fanOut: 500, timeout.Token);
    }
    catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException or HttpRequestException)
    {
        failures.Add($"Commands: {e.Message}");
    }

    try
    {
        if (rates.Contains("ota"))
            ota = await OtaServingScenario.RunAsync(payloadMegabytes: 32, wholeDownloads: 16, rangeRequests: 4000, rolloutDevices: 1000, rolloutConcurrency: 20, timeout.Token);
    }
    catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException or HttpRequestException)
    {
        failures.Add($"OTA serving: {e.Message}");
    }

    // 2,000 poles behind 100 gateways sending 10 status reports each: appended one at a time, and 32 gateways at a time
    // as the ingest's lanes do (32 is the default Ingest:Concurrency), then applied.
    foreach (var store in rates.Contains("otastatus") ? new[] { "litedb", "postgresql" } : [])
    {
        foreach (var sources in new[] { 1, 32 })
        {
            try
            {
                otaStatus.Add(await OtaStatusScenario.RunAsync(store, devices: 2000, reportsPerDevice: 10, sources, timeout.Token));
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException)
            {
                failures.Add($"OTA status reports on {store}, {sources} sources at a time: {e.Message}");
            }
        }
    }

    try
    {
        if (rates.Contains("otarollout"))
        {
            using var rolloutTimeout = new CancellationTokenSource(TimeSpan.FromMinutes(30));
            rollout = await OtaRolloutScenario.RunAsync(rolloutDevices, rolloutGateways, rolloutBytes, rolloutFeedRate, rolloutTimeout.Token);
        }
    }
    catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException or HttpRequestException or ArgumentException or OperationCanceledException)
    {
        failures.Add($"OTA rollout: {e.Message}");
    }
}

// BenchmarkDotNet builds a project per job; on a busy two-core machine that takes longer than its default two minutes.
var config = ManualConfig.Create(DefaultConfig.Instance);
config.BuildTimeout = TimeSpan.FromMinutes(10);
var summaries = skipBenchmarks ? [] : BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(benchmarkArgs, config).ToList();
failures.AddRange(summaries
    .SelectMany(summary => summary.Reports)
    .Where(report => report.ResultStatistics is null)
    .Select(report => $"{report.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo}: no result; its build or run failed (see the log above)"));
PrintSummary(tcp, rtu, otaFeed, outbox, catchUp, loads, broker, ingest, connections, commands, ota, otaStatus, rollout, summaries, failures);
return failures.Count == 0 ? 0 : 1;

long Valued(string name, long defaultValue)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? long.Parse(args[at + 1], CultureInfo.InvariantCulture) : defaultValue;
}

static void PrintSummary(
    TcpPollFigures? tcp,
    List<RtuPollFigures> rtu,
    List<OtaFeedFigures> otaFeed,
    OutboxFigures? outbox,
    List<CatchUpFigures> catchUp,
    List<GatewayLoadFigures> loads,
    BrokerConnectionFigures? broker,
    List<FleetIngestFigures> ingest,
    List<BrokerHoldingFigures> connections,
    CommandFigures? commands,
    OtaServingFigures? ota,
    List<OtaStatusFigures> otaStatus,
    OtaRolloutFigures? rollout,
    List<Summary> summaries,
    List<string> failures)
{
    var c = CultureInfo.InvariantCulture;
    Console.WriteLine();
    Console.WriteLine("==================== CivicEdge benchmark summary ====================");
    if (tcp is not null)
    {
        Console.WriteLine(string.Create(c,
            $"Modbus TCP, 10 holding registers, one connection, libmodbus server, {tcp.Polls} polls per round (median of rounds):"));
        Console.WriteLine(string.Create(c, $"  libmodbus client   {tcp.LibmodbusPerSecond,10:F0} polls/s"));
        Console.WriteLine(string.Create(c, $"  ModbusTcpMaster    {tcp.OursPerSecond,10:F0} polls/s"));
        Console.WriteLine(string.Create(c, $"  ratio ours/theirs  {tcp.Ratio,10:F2}   (target >= 1.00)"));
    }

    foreach (var line in rtu)
    {
        Console.WriteLine(string.Create(c,
            $"Modbus RTU on a pty at {line.BaudRate} 8N1, 10 holding registers: {line.PerSecond:F1} polls/s of {line.TheoreticalPerSecond:F1} theoretical = {line.Share:P1}   (target >= 90%)"));
    }

    foreach (var line in otaFeed)
    {
        Console.WriteLine(string.Create(c,
            $"OTA to a field device over Modbus RTU at {line.BaudRate} 8N1: {line.ImageBytes} bytes in {line.Seconds:F1} s = {line.SecondsPerMebibyte / 60:F1} min per MiB; {line.WireBytes} bytes on the wire ({line.Efficiency:P1} image, {line.WireSeconds:F1} s of wire time); {line.Transactions} transactions"));
    }

    if (loads.Count > 0)
    {
        var first = loads[0];
        Console.WriteLine(string.Create(c,
            $"Gateway polling {first.Devices} Modbus TCP meters for {first.TargetPointsPerSecond:F0} points/s, measured {first.Measured.TotalSeconds:F0} s after warm-up, " +
            $"with the systemd unit's {(first.Environment.Count == 0 ? "(no DOTNET_ settings)" : string.Join(" ", first.Environment.Select(v => $"{v.Key}={v.Value}")))}:"));
        Console.WriteLine(string.Create(c, $"  {"build",-27} {"points/s",9} {"CPU %",7} {"RSS mean",9} {"RSS peak",9} {"RssAnon",9}   (target: RSS <= 80 MB)"));
        foreach (var load in loads)
        {
            Console.WriteLine(string.Create(c,
                $"  {load.Build,-27} {load.PointsPerSecond,9:F0} {load.CpuPercent,7:F1} {load.MeanResidentMegabytes,6:F1} MB {load.PeakResidentMegabytes,6:F1} MB {load.MeanAnonymousMegabytes,6:F1} MB"));
        }
    }

    if (outbox is not null)
    {
        Console.WriteLine(string.Create(c,
            $"Outbox: {outbox.ReadingsPerSecond:F0} durable readings/s ({outbox.Points} points each, {outbox.BatchSize} per commit, journal synced, median commit {outbox.MedianCommitMilliseconds:F2} ms)   (target >= 50000)"));
    }

    foreach (var line in catchUp)
        Console.WriteLine(string.Create(c, $"Catch-up from a deep outbox over MQTT to {line.Fleet}: {line.RecordsPerSecond:F0} records/s ({line.Records} records of {line.Points} points)"));

    if (broker is not null)
    {
        Console.WriteLine(string.Create(c, $"Embedded broker with authentication, {broker.Devices} devices connected at once (PBKDF2-SHA512, {broker.HashIterations} iterations):"));
        Console.WriteLine(string.Create(c, $"  first connections  {broker.FirstConnectionsPerSecond,10:F0} /s (each secret hashed, as after a fleet restart)"));
        Console.WriteLine(string.Create(c, $"  reconnections      {broker.ReconnectionsPerSecond,10:F0} /s (secrets checked before)"));
        Console.WriteLine(string.Create(c, $"  wrong passwords    {broker.RefusalsPerSecond,10:F0} /s refused"));
        Console.WriteLine(string.Create(c, $"  resident memory    {broker.IdleResidentMegabytes,10:F1} MB idle, {broker.ConnectedResidentMegabytes:F1} MB connected = {broker.KilobytesPerConnection:F1} KiB per connection"));
    }

    foreach (var line in ingest)
    {
        var figures = line.Load;
        Console.WriteLine(string.Create(c,
            $"Fleet ingest on {line.Store}, {line.Gateways} gateways x {line.DevicesPerGateway} readings of {line.Points} points per batch, {figures.Seconds:F0} s after warm-up:"));
        Console.WriteLine(string.Create(c, $"  readings persisted {figures.RecordsPerSecond,10:F0} /s ({figures.PointsPerSecond:F0} points/s); ack p50 {figures.AckP50Milliseconds:F0} ms, p99 {figures.AckP99Milliseconds:F0} ms"));
        Console.WriteLine(string.Create(c, $"  fleet process      {line.FleetCpuPercent,10:F0} % of one core, peak {line.FleetPeakResidentMegabytes:F0} MB resident; rejected {figures.Rejected}, resent {figures.Resent}"));
    }

    foreach (var line in connections)
    {
        Console.WriteLine(string.Create(c,
            $"Embedded broker, {line.Asked} idle MQTT 5 devices: {line.Held} held, opened in {line.ConnectSeconds:F1} s; fleet {line.BaselineMegabytes:F0} -> {line.ConnectedMegabytes:F0} MB resident = {line.KilobytesPerConnection:F1} KB per connection"));
    }

    if (commands is not null)
    {
        Console.WriteLine(string.Create(c, $"Commands through the fleet (LiteDB, embedded broker) to a gateway answering at once:"));
        Console.WriteLine(string.Create(c, $"  round trip         {commands.RoundTripP50Milliseconds,10:F1} ms p50, {commands.RoundTripP99Milliseconds:F1} ms p99 ({commands.RoundTrips} commands, POST ?wait= to result)"));
        Console.WriteLine(string.Create(c, $"  one query, {commands.FanOutTargets} devices {commands.FanOutSeconds,6:F2} s until every result ({commands.FanOutPerSecond:F0} commands/s)"));
    }

    if (ota is not null)
    {
        Console.WriteLine(string.Create(c, $"OTA artifacts served by the fleet (LiteDB, one process):"));
        Console.WriteLine(string.Create(c, $"  upload             {ota.UploadSeconds,10:F2} s for {ota.UploadMegabytes:F0} MB (signature, SHA-256, spool and store)"));
        Console.WriteLine(string.Create(c, $"  whole payloads     {ota.WholeMegabytesPerSecond,10:F0} MB/s ({ota.WholeDownloads} downloads, 4 at a time)"));
        Console.WriteLine(string.Create(c, $"  64 KiB ranges      {ota.RangeRequestsPerSecond,10:F0} /s = {ota.RangeMegabytesPerSecond:F0} MB/s ({ota.RangeRequests} requests, 8 at a time)"));
        Console.WriteLine(string.Create(c, $"  1 MB to {ota.RolloutDevices} devices {ota.RolloutSeconds,6:F1} s, {ota.RolloutMegabytes:F0} MB served in 64 KiB ranges, {ota.RolloutConcurrency} at a time, each checked by SHA-256"));
        Console.WriteLine(string.Create(c, $"  device credential  {ota.DeviceRangeRequestsPerSecond,10:F0} 64 KiB ranges/s by a gateway with its own password (8 at a time); its first range {ota.DeviceFirstRequestMilliseconds:F1} ms with PBKDF2"));
    }

    foreach (var status in otaStatus)
    {
        Console.WriteLine(string.Create(c, $"OTA status reports made durable and applied ({status.Store}, {status.Reports} reports of one campaign):"));
        Console.WriteLine(status.Sources == 1
            ? string.Create(c, $"  append, one at a time {status.AppendsPerSecond,8:F0} /s, {status.AppendP99Milliseconds:F2} ms p99 (one source's lane)")
            : string.Create(c, $"  append, {status.Sources} sources at once {status.AppendsPerSecond,6:F0} /s, {status.AppendP99Milliseconds:F2} ms p99 (the ingest's lanes, each source in order)"));
        Console.WriteLine(string.Create(c, $"  applied by the leader  {status.AppliedPerSecond,8:F0} /s ({status.Steps} steps: read, apply, write the campaign, delete)"));
    }

    if (rollout is not null)
    {
        Console.WriteLine(string.Create(c, $"OTA rollout by the fleet (LiteDB, one process) to {rollout.Devices} civicsim devices behind {rollout.Gateways} gateways, waves {rollout.Waves}, no soak, 2 s health window:"));
        Console.WriteLine(string.Create(c, $"  all confirmed      {rollout.ConfirmedSeconds,10:F1} s from the campaign's creation ({rollout.ImageBytes} bytes fed at {rollout.FeedBytesPerSecond} B/s per gateway bus, one device at a time)"));
        Console.WriteLine(string.Create(c, $"  completed          {rollout.CompletedSeconds,10:F1} s ({rollout.Succeeded} devices counted a success)"));
        Console.WriteLine(string.Create(c, $"  served / fed       {rollout.ServedBytes / 1e6,10:F1} MB in {rollout.Downloads} downloads / {rollout.FedBytes / 1e6:F1} MB over the local links"));
        Console.WriteLine(string.Create(c, $"  offers / reports   {rollout.Offers,10} / {rollout.Reports}"));
        Console.WriteLine(string.Create(c, $"  fleet process      {rollout.FleetCpuPercent,10:F0} % CPU, peak {rollout.FleetPeakResidentMegabytes:F0} MB resident"));
    }

    foreach (var report in summaries.SelectMany(summary => summary.Reports))
    {
        var name = report.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo;
        var mean = report.ResultStatistics?.Mean;
        var allocated = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase);
        Console.WriteLine(string.Create(c,
            $"{name}: {(mean is null ? "no result" : $"{mean.Value / 1000:F2} µs/op ({1e9 / mean.Value:F0} ops/s)")}, {(allocated is null ? "?" : allocated.Value.ToString(c))} B allocated/op"));
    }

    foreach (var failure in failures)
        Console.WriteLine($"FAILED {failure}");
    Console.WriteLine("======================================================================");
}
