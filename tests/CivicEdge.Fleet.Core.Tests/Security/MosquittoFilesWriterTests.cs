using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Core.Provisioning;
using CivicEdge.Fleet.Core.Security;

namespace CivicEdge.Fleet.Core.Tests.Security;

[Category("Unit")]
public sealed class MosquittoFilesWriterTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    [Test]
    public void Each_device_with_an_active_password_gets_its_hash_and_its_topics_and_a_gateway_those_of_its_devices()
    {
        var files = MosquittoFilesWriter.Write("civicedge-fleet", "$7$1$FLEET", [
            Device("gw-1", DeviceKind.Gateway),
            Device("mtr-1", DeviceKind.EnergyMeter, gateway: "gw-1"),
            Device("gw-2", DeviceKind.Gateway),
            Device("gw-3", DeviceKind.Gateway, LifecycleState.Decommissioned),
        ], [
            Password("c1", "gw-1", "$7$1$ONE"),
            Password("c2", "gw-2", "$7$1$TWO") with { RevokedAt = Now.AddHours(-1) },
            Password("c3", "gw-3", "$7$1$THREE"),
        ], Now);

        Assert.That(files.PasswordFile, Is.EqualTo("civicedge-fleet:$7$1$FLEET\ngw-1:$7$1$ONE\n"));
        Assert.That(files.Users, Is.EqualTo(2));
        Assert.That(files.AclFile, Does.Contain("user civicedge-fleet\ntopic readwrite civic/v1/#\n"));
        Assert.That(files.AclFile, Does.Contain(
            "user gw-1\n" +
            "topic write civic/v1/gw-1/telemetry\ntopic write civic/v1/gw-1/events\ntopic write civic/v1/gw-1/state\n" +
            "topic write civic/v1/gw-1/health\ntopic write civic/v1/gw-1/live\ntopic write civic/v1/gw-1/reported\ntopic write civic/v1/gw-1/results\ntopic write civic/v1/gw-1/ota-status\n" +
            "topic read civic/v1/gw-1/#\n" +
            "topic write civic/v1/mtr-1/telemetry\n"));
        Assert.That(files.AclFile, Does.Not.Contain("user gw-2").And.Not.Contain("user gw-3").And.Not.Contain("ack"));
    }

    [Test]
    public void During_a_rotations_grace_the_newest_password_is_written()
    {
        var files = MosquittoFilesWriter.Write("civicedge-fleet", "$7$1$FLEET", [Device("gw-1", DeviceKind.Gateway)], [
            Password("old", "gw-1", "$7$1$OLD") with { ValidUntil = Now.AddHours(1) },
            Password("new", "gw-1", "$7$1$NEW"),
        ], Now);

        Assert.That(files.PasswordFile, Does.Contain("gw-1:$7$1$NEW\n").And.Not.Contain("OLD"));
    }

    private static LedgerDevice Device(string code, DeviceKind kind, LifecycleState state = LifecycleState.InService, string? gateway = null) =>
        new(code, kind, null, "city", null, gateway, state, null, [], [], null, null, null, Now, Now, 1, []);

    private static DeviceCredential Password(string id, string device, string hash) =>
        new(id, device, CredentialKind.Password, hash, null, Now.AddDays(-1), "office", null, null, null, null);
}
