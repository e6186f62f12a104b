using System.Collections.Concurrent;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CivicEdge.Fleet.Server.Tests;

[TestFixture]
[Category("Unit")]
public sealed class RetentionServiceTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private FakeTimeProvider _clock = null!;
    private RecordingHistory _history = null!;
    private LocalLeaderElection _election = null!;

    [SetUp]
    public void CreateFakes()
    {
        _clock = new FakeTimeProvider(Now);
        _history = new RecordingHistory();
        _election = new LocalLeaderElection();
    }

    [Test]
    public async Task The_leader_removes_what_expired_at_once_and_again_every_interval()
    {
        using var service = Service(new RetentionOptions { Telemetry = "400d", Events = "800d", Interval = "1h" });

        await service.StartAsync(CancellationToken.None);
        await _history.WaitForAsync(telemetryCalls: 1);
        _clock.Advance(TimeSpan.FromHours(1));
        await _history.WaitForAsync(telemetryCalls: 2);
        await service.StopAsync(CancellationToken.None);

        Assert.That(_history.TelemetryCutoffs, Is.EqualTo(new[] { Now.AddDays(-400), Now.AddHours(1).AddDays(-400) }));
        Assert.That(_history.EventCutoffs.First(), Is.EqualTo(Now.AddDays(-800)));
    }

    [Test]
    public async Task A_node_that_does_not_lead_removes_nothing_until_the_leader_lets_go()
    {
        var leader = await _election.TryLeadAsync(RetentionService.JobName, CancellationToken.None);
        using var service = Service(new RetentionOptions { Telemetry = "30d" });

        await service.StartAsync(CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(30));
        await Task.Delay(100);
        var whileLed = _history.TelemetryCutoffs.Count;
        await leader!.DisposeAsync();
        _clock.Advance(TimeSpan.FromSeconds(30));
        await _history.WaitForAsync(telemetryCalls: 1);
        await service.StopAsync(CancellationToken.None);

        Assert.That(whileLed, Is.Zero);
    }

    [Test]
    public async Task Without_a_retention_period_the_service_takes_no_part()
    {
        using var service = Service(new RetentionOptions());

        await service.StartAsync(CancellationToken.None);
        await service.StopAsync(CancellationToken.None);

        Assert.That(await _election.TryLeadAsync(RetentionService.JobName, CancellationToken.None), Is.Not.Null);
        Assert.That(_history.TelemetryCutoffs, Is.Empty);
    }

    private RetentionService Service(RetentionOptions options) =>
        new(_history, _election, Options.Create(options), _clock, NullLogger<RetentionService>.Instance);

    /// <summary>Records the cutoffs it is asked to remove data before.</summary>
    private sealed class RecordingHistory : ITelemetryHistory
    {
        private readonly ConcurrentQueue<DateTimeOffset> _telemetry = new();
        private readonly ConcurrentQueue<DateTimeOffset> _events = new();

        public IReadOnlyList<DateTimeOffset> TelemetryCutoffs => [.. _telemetry];

        public IReadOnlyList<DateTimeOffset> EventCutoffs => [.. _events];

        public async Task WaitForAsync(int telemetryCalls)
        {
            // Generous: the leader's first run waits for its election, which a loaded machine can delay by seconds.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (_telemetry.Count < telemetryCalls)
                await Task.Delay(10, timeout.Token);
        }

        public Task<long> DeleteTelemetryBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
        {
            _telemetry.Enqueue(cutoff);
            return Task.FromResult(1L);
        }

        public Task<long> DeleteEventsBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
        {
            _events.Enqueue(cutoff);
            return Task.FromResult(0L);
        }

        public Task<IReadOnlyList<AggregatedSeries>> AggregateAsync(AggregateQuery query, CancellationToken cancellationToken) =>
            throw new NotSupportedException("Retention only removes.");

        public IAsyncEnumerable<StoredSample> ReadSamplesAsync(
            string deviceId, IReadOnlyCollection<string>? points, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
            throw new NotSupportedException("Retention only removes.");
    }
}
