using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Acquisition;
using CivicEdge.Gateway.Storage;
using CivicEdge.Gateway.Tests.Support;

namespace CivicEdge.Gateway.Tests.Storage;

[Category("Integration")]
public sealed class AlarmStateStoreTests
{
    private TempDirectory _directory = null!;

    [SetUp]
    public void SetUp() => _directory = new TempDirectory();

    [TearDown]
    public void TearDown() => _directory.Dispose();

    private static DeviceEvent Event(string device, string code, EventState state, int second = 0) =>
        new(device, TestReadings.Start.AddSeconds(second), code, state, EventSeverity.Major, "test", code.Split('.')[0], 1);

    [Test]
    public void Raised_alarms_are_kept_across_reopening_and_a_clear_removes_them()
    {
        var path = _directory.File("gateway.db");
        using (var database = new GatewayDatabase(path))
        {
            var store = new AlarmStateStore(database);
            store.Record([Event("mtr-1", "voltage_l1.high", EventState.Raised, 1), Event("mtr-1", "comm_lost", EventState.Raised, 2), Event("mtr-2", "comm_lost", EventState.Raised, 3)]);
            store.Record([Event("mtr-1", "comm_lost", EventState.Cleared, 4)]);
        }

        using var reopened = new GatewayDatabase(path);
        var restored = new AlarmStateStore(reopened);

        Assert.That(restored.Raised("mtr-1"), Is.EqualTo(new[]
        {
            new RaisedAlarm("mtr-1", "voltage_l1.high", EventSeverity.Major, "voltage_l1", TestReadings.Start.AddSeconds(1)),
        }));
        Assert.That(restored.Raised("mtr-2").Select(a => a.Code), Is.EqualTo(new[] { "comm_lost" }));
        Assert.That(restored.Raised("mtr-3"), Is.Empty);
    }

    [Test]
    public void An_event_that_merely_happened_leaves_the_state_alone()
    {
        using var database = new GatewayDatabase(_directory.File("gateway.db"));
        var store = new AlarmStateStore(database);

        store.Record([Event("mtr-1", "door_opened", EventState.Occurred)]);

        Assert.That(store.Raised("mtr-1"), Is.Empty);
    }

    [Test]
    public void Raising_an_alarm_that_stands_again_keeps_one_entry()
    {
        using var database = new GatewayDatabase(_directory.File("gateway.db"));
        var store = new AlarmStateStore(database);

        store.Record([Event("mtr-1", "voltage_l1.high", EventState.Raised, 1)]);
        store.Record([Event("mtr-1", "voltage_l1.high", EventState.Raised, 9)]);

        Assert.That(store.Raised("mtr-1").Select(a => a.Since), Is.EqualTo(new[] { TestReadings.Start.AddSeconds(9) }));
    }
}
