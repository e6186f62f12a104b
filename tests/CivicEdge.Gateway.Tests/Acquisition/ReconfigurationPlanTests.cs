using CivicEdge.Gateway.Acquisition;
using CivicEdge.Gateway.Configuration;

namespace CivicEdge.Gateway.Tests.Acquisition;

[Category("Unit")]
public sealed class ReconfigurationPlanTests
{
    private static readonly ModbusLink Rs485 = new("rs485-1", BusKind.Rtu, null, new SerialLine("/dev/ttyUSB0", 9600, 'E', 8, 1));
    private static readonly ModbusLink Tcp = ModbusLink.Tcp(new DeviceEndpoint("192.0.2.10", 502));

    [Test]
    public void The_same_buses_and_devices_make_an_empty_plan()
    {
        var running = new[] { Bus(Rs485, Device("a"), Device("b")), Bus(Tcp, Device("m")) };

        var plan = ReconfigurationPlan.Between(running, [Bus(Rs485, Device("a"), Device("b")), Bus(Tcp, Device("m"))]);

        Assert.That(plan.IsEmpty, Is.True);
        Assert.That(plan.ToString(), Is.EqualTo("no change"));
    }

    [Test]
    public void A_device_added_to_a_bus_regroups_that_bus_only_and_keeps_its_other_devices()
    {
        var running = new[] { Bus(Rs485, Device("a"), Device("b")), Bus(Tcp, Device("m")) };

        var plan = ReconfigurationPlan.Between(running, [Bus(Rs485, Device("a"), Device("b"), Device("c", unit: 3)), Bus(Tcp, Device("m"))]);

        Assert.That(plan.Changes.Select(c => (c.BusId, c.Kind)), Is.EqualTo(new[] { ("rs485-1", BusChangeKind.Regrouped), (Tcp.Id, BusChangeKind.Unchanged) }));
        var rs485 = plan.Changes[0];
        Assert.That(rs485.Kept, Is.EqualTo(new[] { "a", "b" }));
        Assert.That(rs485.Created, Is.EqualTo(new[] { "c" }));
        Assert.That(rs485.Stopped, Is.Empty);
    }

    [Test]
    public void A_changed_device_gets_a_new_poller_and_its_neighbours_keep_theirs()
    {
        var running = new[] { Bus(Rs485, Device("a"), Device("b")) };

        var plan = ReconfigurationPlan.Between(running, [Bus(Rs485, Device("a"), Device("b", interval: TimeSpan.FromSeconds(1)))]);

        var change = plan.Changes.Single();
        Assert.That(change.Kind, Is.EqualTo(BusChangeKind.Regrouped));
        Assert.That((change.Kept, change.Created, change.Stopped), Is.EqualTo((new[] { "a" }, new[] { "b" }, new[] { "b" })));
    }

    [Test]
    public void A_profile_whose_content_changed_restarts_its_devices()
    {
        var running = new[] { Bus(Tcp, Device("m", profile: "v1")) };

        var plan = ReconfigurationPlan.Between(running, [Bus(Tcp, Device("m", profile: "v2"))]);

        Assert.That(plan.Changes.Single().Created, Is.EqualTo(new[] { "m" }));
    }

    [Test]
    public void New_link_settings_relink_the_bus_and_restart_all_its_devices()
    {
        var running = new[] { Bus(Rs485, Device("a"), Device("b")) };
        var slower = Rs485 with { Serial = Rs485.Serial! with { Baud = 4800 } };

        var plan = ReconfigurationPlan.Between(running, [Bus(slower, Device("a"), Device("b"))]);

        var change = plan.Changes.Single();
        Assert.That(change.Kind, Is.EqualTo(BusChangeKind.Relinked));
        Assert.That((change.Kept, change.Created, change.Stopped), Is.EqualTo((Array.Empty<string>(), new[] { "a", "b" }, new[] { "a", "b" })));
    }

    [Test]
    public void A_bus_left_out_is_removed_and_a_new_one_added()
    {
        var running = new[] { Bus(Rs485, Device("a")) };

        var plan = ReconfigurationPlan.Between(running, [Bus(Tcp, Device("m"))]);

        Assert.That(plan.Changes.Select(c => (c.BusId, c.Kind)), Is.EqualTo(new[] { (Tcp.Id, BusChangeKind.Added), ("rs485-1", BusChangeKind.Removed) }));
        Assert.That(plan.ToString(), Is.EqualTo($"bus {Tcp.Id} added with m; bus rs485-1 removed with a"));
    }

    [Test]
    public void Devices_reordered_on_a_bus_keep_their_pollers_but_restart_its_schedule()
    {
        var running = new[] { Bus(Rs485, Device("a"), Device("b")) };

        var change = ReconfigurationPlan.Between(running, [Bus(Rs485, Device("b"), Device("a"))]).Changes.Single();

        Assert.That((change.Kind, change.Kept, change.Created), Is.EqualTo((BusChangeKind.Regrouped, new[] { "b", "a" }, Array.Empty<string>())));
    }

    private static BusSpec Bus(ModbusLink link, params DeviceSpec[] devices) => new(link, devices);

    private static DeviceSpec Device(string id, byte unit = 1, TimeSpan? interval = null, string profile = "p") =>
        new(id, "test-meter", profile, id == "b" ? (byte)2 : unit, interval ?? TimeSpan.FromSeconds(5), DevicePriority.Normal);
}
