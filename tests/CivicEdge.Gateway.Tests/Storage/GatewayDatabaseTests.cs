using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Configuration;
using CivicEdge.Gateway.Storage;
using CivicEdge.Gateway.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using static CivicEdge.Gateway.Tests.Support.TestReadings;

namespace CivicEdge.Gateway.Tests.Storage;

/// <summary>A full disk, a failing disk and a damaged file: detected, reported, never crashed on, nothing silently lost.</summary>
[Category("Integration")]
public sealed class GatewayDatabaseTests
{
    private const string GatewayId = "gw-db-01";

    private TempDirectory _directory = null!;
    private string _path = null!;
    private FakeTimeProvider _time = null!;
    private CapturingLoggerProvider _logs = null!;
    private ILoggerFactory _loggerFactory = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = new TempDirectory();
        _path = _directory.File("gateway.db");
        _time = new FakeTimeProvider(Start);
        _logs = new CapturingLoggerProvider();
        _loggerFactory = LoggerFactory.Create(builder => builder.AddProvider(_logs));
    }

    [TearDown]
    public void TearDown()
    {
        _loggerFactory.Dispose();
        _logs.Dispose();
        _directory.Dispose();
    }

    [Test]
    public void On_a_full_disk_the_commit_fails_and_once_there_is_room_nothing_committed_before_is_missing()
    {
        var disk = new FaultyDisk();
        using var database = Open(disk);
        using var outbox = new Outbox(database, new OutboxOptions(), GatewayId, _time);
        for (var i = 0; i < 5; i++)
            outbox.Append(Streams.Telemetry, Readings(200, firstVolts: i * 200));

        disk.FreeBytes = 0;
        var committed = 1000 + FillUp(outbox, disk);
        Assert.Catch<IOException>(() => outbox.Append(Streams.Telemetry, Readings(200)), "still full");

        disk.FreeBytes = long.MaxValue;
        var range = outbox.Append(Streams.Telemetry, Readings(1));

        Assert.That(range, Is.EqualTo(new SequenceRange(committed + 1, committed + 1)), "the refused commits took no sequence numbers");
        Assert.That(outbox.Peek(Streams.Telemetry, 0, 100_000).Select(r => r.Seq), Is.EqualTo(Enumerable.Range(1, committed + 1).Select(i => (long)i)));
        Assert.That(_logs.Messages, Has.Some.Contains("after a failed write").And.Contains("No space left on device"));
    }

    [Test]
    public void Everything_committed_before_the_disk_filled_up_survives_a_restart()
    {
        var disk = new FaultyDisk();
        int committed;
        using (var database = Open(disk))
        using (var outbox = new Outbox(database, new OutboxOptions(), GatewayId, _time))
        {
            for (var i = 0; i < 10; i++)
                outbox.Append(Streams.Telemetry, Readings(300));
            disk.FreeBytes = 0;
            committed = 3000 + FillUp(outbox, disk);
        }

        using var reopened = new Outbox(_path);
        Assert.That(reopened.Status(Streams.Telemetry), Has.Property(nameof(OutboxStatus.Depth)).EqualTo(committed)
            .And.Property(nameof(OutboxStatus.LastSeq)).EqualTo(committed));
    }

    [Test]
    public void A_commit_whose_fsync_failed_is_recognised_by_its_token_so_it_is_not_stored_twice()
    {
        var disk = new FaultyDisk();
        using var database = Open(disk);
        using var outbox = new Outbox(database, new OutboxOptions(), GatewayId, _time);
        outbox.Append(Streams.Telemetry, Readings(3));

        disk.FailNextSync = true;
        Assert.Catch<IOException>(() => outbox.Append([.. Readings(2)], [], "commit-7"));

        Assert.That(outbox.HasCommitted("commit-7"), Is.True, "the journal had it before the fsync failed");
        Assert.That(outbox.Status(Streams.Telemetry).LastSeq, Is.EqualTo(5));
    }

    [Test]
    public void A_file_with_a_garbage_header_is_moved_aside_a_fresh_one_started_and_the_loss_reported()
    {
        WriteOutbox(records: 2000);
        Damage(offset: 0, length: 200);

        using var database = Open(new FaultyDisk());
        using var outbox = new Outbox(database, new OutboxOptions(), GatewayId, _time);

        Assert.That(database.Recovery.Kind, Is.EqualTo(DatabaseRecoveryKind.MovedAside));
        Assert.That(database.Recovery.MovedTo, Does.StartWith(_path + ".damaged-20261122T080000Z"));
        Assert.That(File.Exists(database.Recovery.MovedTo), Is.True, "the damaged file is kept, never deleted");
        var report = outbox.PeekEvents(0, 10).Single();
        Assert.That((report.DeviceId, report.Code, report.Severity), Is.EqualTo((GatewayId, Outbox.RecoveredCode, EventSeverity.Critical)));
        Assert.That(report.Message, Does.Contain("moved aside").And.Contain(database.Recovery.MovedTo));
        Assert.That(_logs.Messages, Has.Some.Contains("is damaged"));
        Assert.That(_logs.Messages, Has.Some.Contains("Moved the damaged gateway database"));
    }

    [Test]
    public void After_a_recovery_sequence_numbers_continue_above_every_number_used_before()
    {
        WriteOutbox(records: 2000);
        Damage(offset: 0, length: 200);

        using var database = Open(new FaultyDisk());
        using var outbox = new Outbox(database, new OutboxOptions(), GatewayId, _time);
        var range = outbox.Append(Streams.Telemetry, Readings(1));

        var floor = (Start - DateTimeOffset.UnixEpoch).Ticks / 10;
        Assert.That(range.First, Is.EqualTo(floor + 1), "the fleet would take numbers at or below its watermark for duplicates");
        Assert.That(outbox.PeekEvents(0, 10).Single().Seq, Is.EqualTo(floor + 1));
    }

    [Test]
    public void A_file_with_a_damaged_page_in_the_middle_is_rebuilt_by_LiteDB_or_moved_aside_but_never_crashes_the_gateway()
    {
        WriteOutbox(records: 5000);
        const int Page = 8192;
        Damage(offset: new FileInfo(_path).Length / Page / 2 * Page, length: 64);

        using var database = Open(new FaultyDisk());
        using var outbox = new Outbox(database, new OutboxOptions(), GatewayId, _time);

        Assert.That(database.Recovery.Kind, Is.AnyOf(DatabaseRecoveryKind.Rebuilt, DatabaseRecoveryKind.MovedAside));
        Assert.That(database.Recovery.MovedTo, Is.Not.Null.And.Matches<string>(File.Exists), "the original is kept");
        Assert.That(outbox.PeekEvents(0, 10).Select(e => e.Code), Does.Contain(Outbox.RecoveredCode));
        Assert.That(outbox.Status(Streams.Telemetry).Depth, Is.LessThanOrEqualTo(5000));
        Assert.DoesNotThrow(() => outbox.Append(Streams.Telemetry, Readings(10)));
    }

    [Test]
    public void A_file_that_lost_its_contents_is_noticed_by_the_identity_kept_beside_it()
    {
        WriteOutbox(records: 10);
        File.Delete(_path);

        using var database = Open(new FaultyDisk());
        using var outbox = new Outbox(database, new OutboxOptions(), GatewayId, _time);

        Assert.That(database.Recovery.Kind, Is.EqualTo(DatabaseRecoveryKind.ContentsLost));
        Assert.That(outbox.Append(Streams.Telemetry, Readings(1)).First, Is.GreaterThan(10));
        Assert.That(outbox.PeekEvents(0, 10).Single().Message, Does.Contain("lost its contents"));
    }

    [Test]
    public void A_file_replaced_by_an_older_copy_is_noticed_too()
    {
        WriteOutbox(records: 10);
        var copy = _directory.File("copy.db");
        File.Copy(_path, copy);
        File.Delete(_path);
        WriteOutbox(records: 10);
        File.Copy(copy, _path, overwrite: true);

        using var database = Open(new FaultyDisk());

        Assert.That(database.Recovery.Kind, Is.EqualTo(DatabaseRecoveryKind.ContentsLost));
        Assert.That(database.Recovery.Detail, Does.Contain("replaced by another copy"));
    }

    [Test]
    public void A_healthy_file_opens_without_recovery_and_keeps_its_numbers()
    {
        WriteOutbox(records: 10);

        using var database = Open(new FaultyDisk());
        using var outbox = new Outbox(database, new OutboxOptions(), GatewayId, _time);

        Assert.That(database.Recovery.Kind, Is.EqualTo(DatabaseRecoveryKind.None));
        Assert.That(outbox.Append(Streams.Telemetry, Readings(1)).First, Is.EqualTo(11));
        Assert.That(outbox.Status(Streams.Events).Depth, Is.Zero);
    }

    /// <summary>Appends until the full disk refuses a commit (the journal reuses its space first); returns the records committed.</summary>
    private static int FillUp(Outbox outbox, FaultyDisk disk)
    {
        var committed = 0;
        for (var attempt = 0; attempt < 200; attempt++)
        {
            try
            {
                outbox.Append(Streams.Telemetry, Readings(200));
                committed += 200;
            }
            catch (IOException ex)
            {
                Assert.That(ex.Message, Does.Contain("No space left on device"));
                Assert.That(disk.Refusals, Is.GreaterThan(0));
                return committed;
            }
        }

        Assert.Fail("The full disk never refused a commit.");
        return committed;
    }

    private GatewayDatabase Open(FaultyDisk disk) => new(_path, disk, _time, _loggerFactory.CreateLogger<GatewayDatabase>());

    private void WriteOutbox(int records)
    {
        using var outbox = new Outbox(_path, _time);
        for (var i = 0; i < records; i += 500)
            outbox.Append(Streams.Telemetry, Readings(Math.Min(500, records - i), firstVolts: i));
    }

    private void Damage(long offset, int length)
    {
        var garbage = new byte[length];
        new Random(42).NextBytes(garbage);
        using var file = new FileStream(_path, FileMode.Open, FileAccess.Write);
        file.Position = offset;
        file.Write(garbage);
    }
}
