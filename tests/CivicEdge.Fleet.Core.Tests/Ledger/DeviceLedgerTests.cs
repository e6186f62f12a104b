using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Core.Ledger;
using CivicEdge.Fleet.Core.Ledger.Codes;
using static CivicEdge.Fleet.Core.Tests.Ledger.LedgerRig;

namespace CivicEdge.Fleet.Core.Tests.Ledger;

[Category("Unit")]
public sealed class DeviceLedgerTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private LedgerRig _rig = null!;

    [SetUp]
    public void SetUp() => _rig = new LedgerRig();

    [TearDown]
    public void TearDown() => _rig.Dispose();

    [Test]
    public async Task A_registered_device_starts_in_registered_with_the_step_recorded()
    {
        var device = await _rig.RegisterAsync(Registration("env-1") with { Tags = ["Pilot", " pilot ", "Ring-Road"] });

        Assert.That(device.State, Is.EqualTo(LifecycleState.Registered));
        Assert.That(device.History.Single(), Is.EqualTo(new LifecycleChange(null, LifecycleState.Registered, T0, "office", "registered")));
        Assert.That(device.Tags, Is.EqualTo(new[] { "pilot", "ring-road" }), "tags are kept in lower case, once each");
        Assert.That(device.Revision, Is.EqualTo(1));
    }

    [Test]
    public async Task A_registration_names_every_missing_or_wrong_field()
    {
        var result = await _rig.Ledger.RegisterAsync(
            new DeviceRegistration { Code = "env 1", Location = new DeviceLocation(91, null, null, null, null), Tags = ["ok", ""] }, None);

        Assert.That(result.Failure!.Kind, Is.EqualTo(LedgerFailureKind.Invalid));
        Assert.That(result.Failure.Problems.Keys, Is.EquivalentTo(new[] { "kind", "tenant", "by", "location.latitude", "location.longitude", "tags[1]" }),
            "the code is checked against the scheme only once the kind is known");
        Assert.That(result.Failure.Problems["location.latitude"].Single(), Is.EqualTo("location.latitude: expected degrees from -90 to 90, found 91"));
    }

    [Test]
    public async Task A_code_the_scheme_refuses_is_named_with_the_schemes_words()
    {
        using var rig = new LedgerRig(scheme: new ProvinceDeviceCodeScheme());

        var result = await rig.Ledger.RegisterAsync(Registration("410102GW00000001A", DeviceKind.Gateway), None);

        Assert.That(result.Failure!.Problems["code"].Single(), Does.StartWith("code (province scheme): character 17: expected the check character"));
    }

    [Test]
    public async Task A_code_reserved_for_the_fleets_own_identities_is_refused()
    {
        var result = await _rig.Ledger.RegisterAsync(Registration("civicedge-fleet-host-42"), None);

        Assert.That(result.Failure!.Problems["code"].Single(), Does.Contain("the fleet's own MQTT identities"));
    }

    [Test]
    public async Task A_code_is_registered_once_even_after_decommissioning()
    {
        await _rig.RegisterAsync(Registration("env-1"));
        await _rig.Ledger.ChangeStateAsync("env-1", new LifecycleRequest { State = LifecycleState.Decommissioned, By = "office", Reason = "broken" }, None);

        var again = await _rig.Ledger.RegisterAsync(Registration("env-1"), None);

        Assert.That(again.Failure!.Kind, Is.EqualTo(LedgerFailureKind.Conflict));
        Assert.That(again.Failure.Detail, Does.Contain("registered already (decommissioned); codes are never reused"));
    }

    [Test]
    public async Task The_gateway_named_must_be_a_registered_gateway_in_use()
    {
        await _rig.RegisterAsync(Registration("env-1"));

        var unknown = await _rig.Ledger.RegisterAsync(Registration("wm-1", DeviceKind.WaterMeter, gateway: "gw-9"), None);
        var notAGateway = await _rig.Ledger.RegisterAsync(Registration("wm-1", DeviceKind.WaterMeter, gateway: "env-1"), None);

        Assert.That(unknown.Failure!.Problems["gateway"].Single(), Does.Contain("'gw-9', which the ledger does not have"));
        Assert.That(notAGateway.Failure!.Problems["gateway"].Single(), Does.Contain("expected a gateway, found 'env-1' of kind environmentStation"));
    }

    [Test]
    public async Task Sensing_duplicated_within_the_radius_warns_naming_the_other_device_its_owner_and_the_distance()
    {
        await _rig.RegisterAsync(Registration("pm-eco", tenant: "ecology-bureau", latitude: 34.7466, longitude: 113.6253, capabilities: ["pm2.5", "noise"]));
        await _rig.RegisterAsync(Registration("pm-far", tenant: "ecology-bureau", latitude: 34.7566, longitude: 113.6253, capabilities: ["pm2.5"]));

        // 0.0005° north is 55.6 m.
        var answer = await _rig.Ledger.RegisterAsync(
            Registration("pm-traffic", tenant: "traffic-police", latitude: 34.7471, longitude: 113.6253, capabilities: ["PM2.5", "wind"]), None);

        var warning = answer.Value!.Warnings.Single();
        Assert.That((warning.Capability, warning.Device, warning.Tenant), Is.EqualTo(("pm2.5", "pm-eco", "ecology-bureau")));
        Assert.That(warning.DistanceMetres, Is.EqualTo(55.6).Within(0.1));
        Assert.That(warning.Message, Does.StartWith("pm-eco (environmentStation, owned by ecology-bureau) already senses 'pm2.5' 56 m away"));
        Assert.That(answer.Value.Device.Code, Is.EqualTo("pm-traffic"), "a warning, not a refusal");
    }

    [Test]
    public async Task Decommissioned_devices_and_devices_beyond_the_radius_raise_no_warning()
    {
        await _rig.RegisterAsync(Registration("pm-old", latitude: 34.7466, longitude: 113.6253, capabilities: ["pm2.5"]));
        await _rig.Ledger.ChangeStateAsync("pm-old", new LifecycleRequest { State = LifecycleState.Decommissioned, By = "office", Reason = "replaced" }, None);
        await _rig.RegisterAsync(Registration("pm-far", latitude: 34.7476, longitude: 113.6253, capabilities: ["pm2.5"]));

        var answer = await _rig.Ledger.RegisterAsync(Registration("pm-new", latitude: 34.7466, longitude: 113.6253, capabilities: ["pm2.5"]), None);

        Assert.That(answer.Value!.Warnings, Is.Empty, "pm-far is 111 m away, beyond the 100 m radius");
    }

    [Test]
    public async Task Moving_a_device_next_to_one_sensing_the_same_warns()
    {
        await _rig.RegisterAsync(Registration("pm-1", latitude: 34.7466, longitude: 113.6253, capabilities: ["pm2.5"]));
        await _rig.RegisterAsync(Registration("pm-2", latitude: 34.8, longitude: 113.7, capabilities: ["pm2.5"]));

        var moved = await _rig.Ledger.UpdateAsync("pm-2", new DeviceChanges
        {
            Location = new LocationChanges { Latitude = new(34.7467), Longitude = new(113.6253) },
        }, None);

        Assert.That(moved.Value!.Warnings.Single().Device, Is.EqualTo("pm-1"));
        Assert.That(moved.Value.Device.Location, Is.EqualTo(new DeviceLocation(34.7467, 113.6253, null, null, "Zhongyuan")), "fields not named stay");
        Assert.That(moved.Value.Device.Revision, Is.EqualTo(2));
    }

    [Test]
    public async Task A_change_made_meanwhile_by_someone_else_is_kept_and_the_change_applied_on_top()
    {
        await _rig.RegisterAsync(Registration("env-1"));
        _rig.Store.BeforeNextUpdate = () => _rig.Store.Overwrite(device => device with { Firmware = "2.0" }, "env-1");

        var updated = await _rig.Ledger.UpdateAsync("env-1", new DeviceChanges { Tags = new(["night"]) }, None);

        Assert.That((updated.Value!.Device.Firmware, updated.Value.Device.Tags.Single(), updated.Value.Device.Revision), Is.EqualTo(("2.0", "night", 3L)));
    }

    [Test]
    public async Task Lifecycle_steps_follow_the_rules_and_record_who_when_and_why()
    {
        await _rig.RegisterAsync(Registration("env-1"));
        _rig.Clock.Advance(TimeSpan.FromHours(1));

        var skipped = await _rig.Ledger.ChangeStateAsync("env-1", new LifecycleRequest { State = LifecycleState.InService, By = "op", Reason = "go" }, None);
        var installed = await _rig.Ledger.ChangeStateAsync("env-1", new LifecycleRequest { State = LifecycleState.Installed, By = "li.wei", Reason = "mounted on P-0412" }, None);

        Assert.That(skipped.Failure!.Kind, Is.EqualTo(LedgerFailureKind.Conflict));
        Assert.That(skipped.Failure.Detail, Is.EqualTo("state: expected installed or decommissioned after registered, found inService"));
        Assert.That(installed.Value!.History[^1], Is.EqualTo(new LifecycleChange(LifecycleState.Registered, LifecycleState.Installed, T0.AddHours(1), "li.wei", "mounted on P-0412")));
        Assert.That((installed.Value.Installer, installed.Value.InstalledAt), Is.EqualTo(("li.wei", (DateTimeOffset?)T0.AddHours(1))));
    }

    [Test]
    public async Task A_lifecycle_step_needs_who_and_why()
    {
        await _rig.RegisterAsync(Registration("env-1"));

        var result = await _rig.Ledger.ChangeStateAsync("env-1", new LifecycleRequest { State = LifecycleState.Installed }, None);

        Assert.That(result.Failure!.Problems.Keys, Is.EquivalentTo(new[] { "by", "reason" }));
    }

    [Test]
    public async Task Decommissioning_revokes_every_credential_and_cuts_the_devices_sessions()
    {
        await _rig.RegisterAsync(Registration("gw-1", DeviceKind.Gateway));
        await _rig.IssuePasswordAsync("gw-1");
        await _rig.IssuePasswordAsync("gw-1");

        await _rig.Ledger.ChangeStateAsync("gw-1", new LifecycleRequest { State = LifecycleState.Decommissioned, By = "op", Reason = "cabinet removed" }, None);

        Assert.That(_rig.Store.Credentials.Select(credential => credential.RevocationReason), Is.All.EqualTo("decommissioned: cabinet removed"));
        Assert.That(_rig.Sessions.Closed.Select(closed => closed.Device), Is.All.EqualTo("gw-1"));
        Assert.That(_rig.Sessions.Closed.Any(closed => closed.CredentialId is null), Is.True, "every session of the device, whatever it presented");
    }

    [Test]
    public async Task A_decommissioned_device_takes_no_more_changes()
    {
        await _rig.RegisterAsync(Registration("env-1"));
        await _rig.Ledger.ChangeStateAsync("env-1", new LifecycleRequest { State = LifecycleState.Decommissioned, By = "op", Reason = "gone" }, None);

        var update = await _rig.Ledger.UpdateAsync("env-1", new DeviceChanges { Firmware = new("9") }, None);
        var revive = await _rig.Ledger.ChangeStateAsync("env-1", new LifecycleRequest { State = LifecycleState.InService, By = "op", Reason = "back" }, None);

        Assert.That(update.Failure!.Kind, Is.EqualTo(LedgerFailureKind.Conflict));
        Assert.That(revive.Failure!.Detail, Does.Contain("nothing: a decommissioned device stays so"));
    }

    [Test]
    public async Task A_devices_tenant_is_its_owner_in_the_ledger_and_an_unregistered_device_has_none()
    {
        await _rig.RegisterAsync(Registration("wm-1", DeviceKind.WaterMeter, tenant: "water-utility"));
        await _rig.RegisterAsync(Registration("gm-1", DeviceKind.GasMeter, tenant: "gas-utility"));
        var tenancy = new LedgerTenancy(_rig.Store);

        Assert.That(await tenancy.FindTenantAsync("wm-1", None), Is.EqualTo("water-utility"));
        Assert.That(await tenancy.FindTenantAsync("wm-2", None), Is.Null);
        Assert.That(await tenancy.FindTenantsAsync(["wm-1", "gm-1", "wm-2", "wm-1"], None), Is.EquivalentTo(new Dictionary<string, string>
        {
            ["wm-1"] = "water-utility",
            ["gm-1"] = "gas-utility",
        }));
        Assert.That(await tenancy.FindTenantsAsync([], None), Is.Empty);
    }

    [Test]
    public async Task A_device_cannot_be_owned_by_the_mark_that_stands_for_every_tenant()
    {
        await _rig.RegisterAsync(Registration("wm-1", DeviceKind.WaterMeter, tenant: "water-utility"));

        var registered = await _rig.Ledger.RegisterAsync(Registration("wm-2", DeviceKind.WaterMeter, tenant: "*"), None);
        var handed = await _rig.Ledger.UpdateAsync("wm-1", new DeviceChanges { Tenant = new("*") }, None);

        Assert.That(registered.Failure!.Problems["tenant"].Single(), Is.EqualTo("tenant: expected the id of the tenant owning the device, found '*', which stands for every tenant"));
        Assert.That(handed.Failure!.Problems.Keys, Is.EqualTo(new[] { "tenant" }));
        Assert.That((await _rig.Store.FindDeviceAsync("wm-1", None))!.Tenant, Is.EqualTo("water-utility"));
    }
}
