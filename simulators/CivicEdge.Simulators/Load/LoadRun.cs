using System.Diagnostics;
using System.Globalization;

namespace CivicEdge.Simulators.Load;

/// <summary>
/// A fleet-scale load: <see cref="LoadOptions.Gateways"/> simulated gateways connect (a bounded number at a time),
/// then send their devices' readings until the run's duration has passed or it is cancelled. Progress goes to a writer
/// every few seconds; the figures cover the time after the warm-up.
/// </summary>
public sealed class LoadRun
{
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(5);

    private readonly LoadOptions _options;
    private readonly TextWriter _progress;
    private readonly LoadCounters _counters = new();
    private readonly OtaRun? _ota;
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public LoadRun(LoadOptions options, TextWriter progress)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Gateways, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.DevicesPerGateway, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Points, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxInFlight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.HealthInterval, TimeSpan.Zero);
        _options = options;
        _progress = progress;
        _ota = options.Ota is { } ota ? new OtaRun(ota, Devices(options)) : null;
    }

    /// <summary>Completes once every gateway is connected (and subscribed to its offers); faults when one could not connect.</summary>
    public Task Connected => _connected.Task;

    /// <summary>What the gateways did with OTA offers so far; null when the run takes none.</summary>
    public OtaLoadFigures? OtaFigures => _ota?.Figures();

    /// <summary>The devices of the run whose new image is to fail, as <see cref="LoadOtaOptions.Seed"/> and <see cref="LoadOtaOptions.FailureRate"/> choose them.</summary>
    public IReadOnlyList<string> FailingDevices => _ota?.Failures.Chosen(Devices(_options)) ?? [];

    /// <summary>Connects every gateway; the first line written once all are connected starts with <c>civicsim ready load</c>.</summary>
    /// <exception cref="InvalidOperationException">A gateway could not connect.</exception>
    public async Task<LoadFigures> RunAsync(CancellationToken cancellationToken)
    {
        // Sequence numbers start at the current time in microseconds: a rerun against the same fleet is not taken for resends.
        var firstSeq = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
        var gateways = Enumerable.Range(1, _options.Gateways)
            .Select(n => new SimulatedGateway(_options.GatewayId(n), _options, _counters, firstSeq, _ota))
            .ToList();
        try
        {
            if (_ota is not null)
            {
                var failing = FailingDevices;
                await _progress.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"civicsim load ota seed={_ota.Options.Seed} failure_rate={_ota.Failures.Rate} failing={failing.Count}{(failing.Count > 0 ? " " + string.Join(',', failing) : string.Empty)}")).ConfigureAwait(false);
            }

            var connecting = Stopwatch.StartNew();
            try
            {
                await ConnectAllAsync(gateways, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                _connected.TrySetException(exception);
                throw;
            }

            _connected.TrySetResult();
            await _progress.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"civicsim ready load gateways={gateways.Count} devices={gateways.Count * _options.DevicesPerGateway} connect_seconds={connecting.Elapsed.TotalSeconds:F1}")).ConfigureAwait(false);
            await _progress.FlushAsync(cancellationToken).ConfigureAwait(false);

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (_options.Duration is { } duration)
                stop.CancelAfter(_options.WarmUp + duration);

            var sending = _options.Idle ? [] : gateways.Select(gateway => gateway.RunAsync(stop.Token)).ToList();
            var counted = await ReportAsync(gateways, stop.Token).ConfigureAwait(false);

            // Taken when the time is up: acknowledgements that come while the gateways stop are not in the figures.
            var figures = new LoadFigures(
                counted.TotalSeconds,
                _counters.Records,
                _counters.Points,
                _counters.Duplicates,
                _counters.Rejected,
                _counters.Resent,
                _counters.Latencies.Percentile(0.5),
                _counters.Latencies.Percentile(0.99),
                gateways.Count(gateway => gateway.IsConnected));
            await Task.WhenAll(sending).ConfigureAwait(false);
            return figures;
        }
        finally
        {
            await Parallel.ForEachAsync(gateways, new ParallelOptions { MaxDegreeOfParallelism = _options.ConnectConcurrency }, async (gateway, _) =>
                await gateway.DisposeAsync().ConfigureAwait(false)).ConfigureAwait(false);
            _ota?.Dispose();
        }
    }

    private async Task ConnectAllAsync(List<SimulatedGateway> gateways, CancellationToken cancellationToken)
    {
        var failures = 0;
        Exception? first = null;
        await Parallel.ForEachAsync(
            gateways,
            new ParallelOptions { MaxDegreeOfParallelism = _options.ConnectConcurrency, CancellationToken = cancellationToken },
            async (gateway, token) =>
            {
                try
                {
                    await gateway.ConnectAsync(token).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !token.IsCancellationRequested)
                {
                    if (Interlocked.Increment(ref failures) == 1)
                        first = exception;
                }
            }).ConfigureAwait(false);
        if (failures > 0)
        {
            throw new InvalidOperationException(
                $"{failures} of {gateways.Count} gateways could not connect to {_options.Host}:{_options.Port}; the first: {first!.Message}",
                first);
        }
    }

    /// <summary>Writes progress until stopped; returns the time counted (after the warm-up).</summary>
    private async Task<TimeSpan> ReportAsync(List<SimulatedGateway> gateways, CancellationToken stop)
    {
        var run = Stopwatch.StartNew();
        var counting = TimeSpan.Zero;
        var warm = _options.WarmUp <= TimeSpan.Zero;
        if (warm)
            _counters.Clear();
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        var lastReport = TimeSpan.Zero;
        try
        {
            while (await tick.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                if (!warm && run.Elapsed >= _options.WarmUp)
                {
                    warm = true;
                    counting = run.Elapsed;
                    _counters.Clear();
                }

                if (run.Elapsed - lastReport >= ProgressEvery)
                {
                    lastReport = run.Elapsed;
                    var seconds = (run.Elapsed - counting).TotalSeconds;
                    await _progress.WriteLineAsync(string.Create(
                        CultureInfo.InvariantCulture,
                        $"civicsim load t={run.Elapsed.TotalSeconds:F0}s {(warm ? "counting" : "warming up")} records={_counters.Records} records_per_second={(warm && seconds > 0 ? _counters.Records / seconds : 0):F0} connected={gateways.Count(g => g.IsConnected)}")).ConfigureAwait(false);
                    if (_ota is not null)
                        await _progress.WriteLineAsync("civicsim load ota " + _ota.Figures().ToLine()).ConfigureAwait(false);
                    await _progress.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The duration has passed, or the run was stopped.
        }

        return warm ? run.Elapsed - counting : TimeSpan.Zero;
    }

    /// <summary>Every device of the run, gateway by gateway.</summary>
    private static IEnumerable<string> Devices(LoadOptions options) =>
        Enumerable.Range(1, options.Gateways).SelectMany(g => Enumerable.Range(1, options.DevicesPerGateway).Select(d => LoadOptions.DeviceId(options.GatewayId(g), d)));
}
