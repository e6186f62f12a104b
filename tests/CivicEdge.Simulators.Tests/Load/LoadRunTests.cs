using CivicEdge.Fleet.Contracts;
using CivicEdge.Simulators.Load;

namespace CivicEdge.Simulators.Tests.Load;

[TestFixture]
[Category("Integration")]
public sealed class LoadRunTests
{
    [Test]
    public async Task Gateways_send_numbered_batches_of_one_reading_per_device_and_count_what_is_acknowledged()
    {
        await using var fleet = await AckingFleet.StartAsync();
        var options = new LoadOptions
        {
            Port = fleet.Port, Gateways = 3, DevicesPerGateway = 4, Points = 12, Interval = TimeSpan.FromMilliseconds(50),
            Duration = TimeSpan.FromSeconds(1), Prefix = "gw-test-",
        };

        var figures = await new LoadRun(options, TextWriter.Null).RunAsync(CancellationToken.None);

        var batches = fleet.Batches.ToList();
        Assert.That(figures.Connected, Is.EqualTo(3));
        Assert.That(figures.Records, Is.GreaterThan(0).And.LessThanOrEqualTo(batches.Sum(batch => batch.Records.Count)));
        Assert.That(figures.Points, Is.EqualTo(figures.Records * 12));
        Assert.That(batches.Select(batch => batch.Source).Distinct(), Is.EquivalentTo(new[] { "gw-test-00001", "gw-test-00002", "gw-test-00003" }));
        foreach (var source in batches.GroupBy(batch => batch.Source))
        {
            var seqs = source.SelectMany(batch => batch.Records).Select(record => record.Seq).ToList();
            Assert.That(seqs, Is.Ordered.Ascending.And.Unique, $"{source.Key} numbers its records in order");
            Assert.That(source.First().Records.Select(record => record.DeviceId), Is.EqualTo(Enumerable.Range(1, 4).Select(n => $"{source.Key}-m{n:D3}")));
        }

        Assert.That(batches[0].Records[0].Points.Select(point => point.Name), Does.Contain("voltage_l1").And.Contain("voltage_l1_1"));
        Assert.That(batches[0].Stream, Is.EqualTo(Streams.Telemetry));
    }

    [Test]
    public async Task A_batch_whose_acknowledgement_does_not_come_is_sent_again_with_the_same_numbers()
    {
        await using var fleet = await AckingFleet.StartAsync(ignoreFirstCopy: true);
        var options = new LoadOptions
        {
            Port = fleet.Port, Gateways = 1, DevicesPerGateway = 2, Points = 1, MaxInFlight = 1, Interval = TimeSpan.Zero,
            AckTimeout = TimeSpan.FromMilliseconds(200), Duration = TimeSpan.FromSeconds(3),
        };

        var figures = await new LoadRun(options, TextWriter.Null).RunAsync(CancellationToken.None);

        var firstSeqs = fleet.Batches.Select(batch => batch.Records[0].Seq).ToList();
        Assert.That(figures.Resent, Is.GreaterThan(0));
        Assert.That(figures.Records, Is.GreaterThan(0));
        Assert.That(firstSeqs.GroupBy(seq => seq).Where(copies => copies.Count() > 1), Is.Not.Empty, "resends carry the numbers of the batch they repeat");
    }

    [Test]
    public async Task A_run_stopped_before_its_gateways_first_batches_ends_with_its_figures()
    {
        await using var fleet = await AckingFleet.StartAsync();
        // Gateways start spread over one interval: a minute's spread puts their first batches after the run's end.
        var options = new LoadOptions { Port = fleet.Port, Gateways = 2, DevicesPerGateway = 1, Points = 1, Interval = TimeSpan.FromMinutes(1), Duration = TimeSpan.FromMilliseconds(300) };

        var figures = await new LoadRun(options, TextWriter.Null).RunAsync(CancellationToken.None);

        Assert.That(figures.Connected, Is.EqualTo(2));
    }

    [Test]
    public void The_summary_line_reads_back_as_written()
    {
        var figures = new LoadFigures(45.2, 330_000, 3_300_000, 12, 1, 3, 18.5, 240, 100);

        var read = LoadFigures.Parse("civicsim load done " + figures.ToLine());

        Assert.That(read, Is.EqualTo(figures));
    }
}
