using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Core.Ledger;
using CivicEdge.Fleet.Core.Tests.Ledger;
using static CivicEdge.Fleet.Core.Tests.Ledger.LedgerRig;

namespace CivicEdge.Fleet.Core.Tests.Provisioning;

[Category("Unit")]
public sealed class DeviceProvisioningTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private LedgerRig _rig = null!;

    [SetUp]
    public async Task SetUp()
    {
        _rig = new LedgerRig();
        await _rig.RegisterAsync(Registration("pm-1", latitude: 34.7, longitude: 113.6, batch: "2026-11"));
        await _rig.RegisterAsync(Registration("pm-2", batch: "2026-11"));
        await _rig.RegisterAsync(Registration("pm-3", batch: "2026-12"));
    }

    [TearDown]
    public void TearDown() => _rig.Dispose();

    [Test]
    public async Task A_claim_installs_the_device_with_its_installer_time_and_place()
    {
        var token = await TokenAsync(device: "pm-1");
        _rig.Clock.Advance(TimeSpan.FromHours(2));

        var answer = (await _rig.Provisioning.ClaimAsync("pm-1", new ClaimRequest
        {
            Token = token,
            Installer = "li.wei",
            Location = new DeviceLocation(34.75, 113.62, "Jianshe Road 12", "P-0412", null),
        }, None)).Value!;

        var device = answer.Device;
        Assert.That((device.State, device.Installer, device.InstalledAt), Is.EqualTo((LifecycleState.Installed, "li.wei", (DateTimeOffset?)T0.AddHours(2))));
        Assert.That(device.Location, Is.EqualTo(new DeviceLocation(34.75, 113.62, "Jianshe Road 12", "P-0412", "Zhongyuan")), "the registered district stays");
        Assert.That(device.History[^1].Reason, Is.EqualTo("claimed on site with a device claim token"));
        Assert.That(answer.Credential, Is.Null);
    }

    [Test]
    public async Task A_claim_can_issue_the_first_credential()
    {
        var token = await TokenAsync(device: "pm-1");

        var answer = (await _rig.Provisioning.ClaimAsync("pm-1", new ClaimRequest { Token = token, Installer = "li.wei", IssueCredential = true }, None)).Value!;

        Assert.That(answer.Credential!.Secret, Is.Not.Empty);
        Assert.That(_rig.Store.Credentials.Single().IssuedBy, Is.EqualTo("li.wei"));
    }

    [Test]
    public async Task A_device_token_claims_once()
    {
        var token = await TokenAsync(device: "pm-1");
        await _rig.Provisioning.ClaimAsync("pm-1", new ClaimRequest { Token = token, Installer = "li.wei" }, None);
        await _rig.Ledger.ChangeStateAsync("pm-1", new LifecycleRequest { State = LifecycleState.Maintenance, By = "op", Reason = "swap" }, None);
        await _rig.Ledger.ChangeStateAsync("pm-1", new LifecycleRequest { State = LifecycleState.Decommissioned, By = "op", Reason = "swap" }, None);

        var again = await _rig.Provisioning.ClaimAsync("pm-1", new ClaimRequest { Token = token, Installer = "li.wei" }, None);

        Assert.That(again.Failure!.Kind, Is.EqualTo(LedgerFailureKind.Conflict), "the device is no longer registered");
    }

    [Test]
    public async Task A_token_for_another_device_or_batch_claims_nothing()
    {
        var forTwo = await TokenAsync(device: "pm-2");
        var forDecember = await TokenAsync(batch: "2026-12");

        var wrongDevice = await _rig.Provisioning.ClaimAsync("pm-1", new ClaimRequest { Token = forTwo, Installer = "li.wei" }, None);
        var wrongBatch = await _rig.Provisioning.ClaimAsync("pm-1", new ClaimRequest { Token = forDecember, Installer = "li.wei" }, None);

        Assert.That(wrongDevice.Failure!.Detail, Is.EqualTo("token: expected a token for pm-1, found one for device pm-2"));
        Assert.That(wrongBatch.Failure!.Detail, Is.EqualTo("token: expected a token for pm-1's batch (2026-11), found one for batch 2026-12"));
        Assert.That((await _rig.Ledger.FindAsync("pm-1", None))!.State, Is.EqualTo(LifecycleState.Registered));
    }

    [Test]
    public async Task A_batch_token_claims_every_device_of_its_batch_once_each()
    {
        var token = await TokenAsync(batch: "2026-11");

        var one = await _rig.Provisioning.ClaimAsync("pm-1", new ClaimRequest { Token = token, Installer = "li.wei" }, None);
        var two = await _rig.Provisioning.ClaimAsync("pm-2", new ClaimRequest { Token = token.ToLowerInvariant().Replace("-", " ", StringComparison.Ordinal), Installer = "li.wei" }, None);

        Assert.That((one.Succeeded, two.Succeeded), Is.EqualTo((true, true)), "a token is read whatever its case and separators");
    }

    [Test]
    public async Task An_expired_token_is_refused_with_its_expiry()
    {
        var token = await TokenAsync(device: "pm-1", lifetime: TimeSpan.FromMinutes(30));
        _rig.Clock.Advance(TimeSpan.FromMinutes(30));

        var late = await _rig.Provisioning.ClaimAsync("pm-1", new ClaimRequest { Token = token, Installer = "li.wei" }, None);

        Assert.That(late.Failure!.Detail, Is.EqualTo($"token: expected a valid claim token, found one that expired at {T0.AddMinutes(30):O}"));
    }

    [Test]
    public async Task An_unknown_token_is_refused()
    {
        var result = await _rig.Provisioning.ClaimAsync("pm-1", new ClaimRequest { Token = "AAAA-BBBB-CCCC-DDDD-EEEE", Installer = "li.wei" }, None);

        Assert.That(result.Failure!.Problems["token"].Single(), Does.Contain("one it does not know"));
    }

    [Test]
    public async Task A_token_is_issued_only_for_a_device_still_to_claim_and_within_the_longest_lifetime()
    {
        var unknown = await _rig.Provisioning.IssueClaimTokenAsync(new ClaimTokenRequest { Device = "pm-9", By = "office" }, None);
        var both = await _rig.Provisioning.IssueClaimTokenAsync(new ClaimTokenRequest { Device = "pm-1", Batch = "2026-11", By = "office" }, None);
        var tooLong = await _rig.Provisioning.IssueClaimTokenAsync(new ClaimTokenRequest { Device = "pm-1", Lifetime = TimeSpan.FromDays(8), By = "office" }, None);
        var emptyBatch = await _rig.Provisioning.IssueClaimTokenAsync(new ClaimTokenRequest { Batch = "1999-01", By = "office" }, None);

        Assert.That(unknown.Failure!.Kind, Is.EqualTo(LedgerFailureKind.NotFound));
        Assert.That(both.Failure!.Problems.Keys, Does.Contain("device"));
        Assert.That(tooLong.Failure!.Problems["lifetime"].Single(), Does.Contain("at most 7.00:00:00"));
        Assert.That(emptyBatch.Failure!.Kind, Is.EqualTo(LedgerFailureKind.NotFound));
    }

    [Test]
    public async Task A_claim_racing_another_change_is_applied_on_top_of_it()
    {
        var token = await TokenAsync(device: "pm-1");
        _rig.Store.BeforeNextUpdate = () => _rig.Store.Overwrite(device => device with { Firmware = "2.1" }, "pm-1");

        var answer = await _rig.Provisioning.ClaimAsync("pm-1", new ClaimRequest { Token = token, Installer = "li.wei" }, None);

        Assert.That((answer.Value!.Device.State, answer.Value.Device.Firmware), Is.EqualTo((LifecycleState.Installed, "2.1")));
    }

    private async Task<string> TokenAsync(string? device = null, string? batch = null, TimeSpan? lifetime = null)
    {
        var result = await _rig.Provisioning.IssueClaimTokenAsync(new ClaimTokenRequest { Device = device, Batch = batch, Lifetime = lifetime, By = "office" }, None);
        Assert.That(result.Succeeded, Is.True, result.Failure?.Detail);
        return result.Value!.Token;
    }
}
