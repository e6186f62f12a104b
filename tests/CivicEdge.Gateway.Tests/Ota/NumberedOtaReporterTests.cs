using CivicEdge.Fleet.Contracts.Ota;
using CivicEdge.Gateway.Ota;
using CivicEdge.Gateway.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace CivicEdge.Gateway.Tests.Ota;

[TestFixture]
[Category("Unit")]
[CancelAfter(10_000)]
public sealed class NumberedOtaReporterTests
{
    private static readonly OtaOffer Offer = new("campaign/7", "pole-0001", 2, "pole-controller@2.4.0", ArtifactKind.Firmware, "2.4.0", 10,
        new string('a', 64), "e30=", new OtaSignature("k", OtaSignature.Es256, "AA=="), "api/x", DateTimeOffset.UnixEpoch);

    [Test]
    public async Task Reports_are_numbered_from_1_and_carry_the_offer_and_the_phase(CancellationToken ct)
    {
        using var directory = new TempDirectory();
        var sink = new RecordingSink();
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-29T02:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var reporter = new NumberedOtaReporter(Offer, sink, directory.Path, time);

        await reporter.ReportAsync(OtaPhase.Staged, null, null, null, ct);
        await reporter.ReportAsync(OtaPhase.Confirmed, null, "2.4.0", null, ct);

        Assert.That(sink.Reports.Select(r => r.Sequence), Is.EqualTo(new long[] { 1, 2 }));
        Assert.That(sink.Reports[1], Is.EqualTo(new OtaStatusReport("campaign/7", "pole-0001", 2, 2, OtaPhase.Confirmed, null, "2.4.0", null, time.GetUtcNow())));
    }

    [Test]
    public async Task After_a_restart_numbering_goes_on_from_the_last_report(CancellationToken ct)
    {
        using var directory = new TempDirectory();
        var sink = new RecordingSink();
        await new NumberedOtaReporter(Offer, sink, directory.Path, TimeProvider.System).ReportAsync(OtaPhase.Downloading, 0, null, null, ct);
        await new NumberedOtaReporter(Offer, sink, directory.Path, TimeProvider.System).ReportAsync(OtaPhase.Verified, 10, null, null, ct);

        Assert.That(sink.Reports.Select(r => r.Sequence), Is.EqualTo(new long[] { 1, 2 }));
    }

    [Test]
    public async Task Each_attempt_is_numbered_on_its_own(CancellationToken ct)
    {
        using var directory = new TempDirectory();
        var sink = new RecordingSink();
        await new NumberedOtaReporter(Offer, sink, directory.Path, TimeProvider.System).ReportAsync(OtaPhase.Failed, null, null, "no answer", ct);

        await new NumberedOtaReporter(Offer with { Attempt = 3 }, sink, directory.Path, TimeProvider.System).ReportAsync(OtaPhase.Staged, null, null, null, ct);

        Assert.That(sink.Reports.Select(r => (r.Attempt, r.Sequence)), Is.EqualTo(new[] { (2, 1L), (3, 1L) }));
    }

    private sealed class RecordingSink : IOtaStatusSink
    {
        public List<OtaStatusReport> Reports { get; } = [];

        public ValueTask SendAsync(OtaStatusReport report, CancellationToken cancellationToken)
        {
            Reports.Add(report);
            return ValueTask.CompletedTask;
        }
    }
}
