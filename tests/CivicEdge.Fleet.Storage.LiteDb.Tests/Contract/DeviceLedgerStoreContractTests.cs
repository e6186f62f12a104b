using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Core.Ledger;
using CivicEdge.Fleet.Core.Provisioning;
using static CivicEdge.Fleet.Storage.LiteDb.Tests.Contract.TestLedger;

namespace CivicEdge.Fleet.Storage.LiteDb.Tests.Contract;

/// <summary>
/// What every <see cref="IDeviceLedgerStore"/> must do, whatever its engine. A store project derives one fixture from
/// this class and supplies a fresh, empty store per test.
/// </summary>
public abstract class DeviceLedgerStoreContractTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private IDeviceLedgerStore? _store;

    protected IDeviceLedgerStore Store => _store ?? throw new InvalidOperationException("The store is opened in SetUp.");

    /// <summary>A new, empty store.</summary>
    protected abstract Task<IDeviceLedgerStore> OpenEmptyStoreAsync();

    /// <summary>Releases a store made by <see cref="OpenEmptyStoreAsync"/>.</summary>
    protected abstract Task CloseStoreAsync(IDeviceLedgerStore store);

    [SetUp]
    public async Task OpenStore() => _store = await OpenEmptyStoreAsync();

    [TearDown]
    public async Task CloseStore()
    {
        if (_store is not null)
            await CloseStoreAsync(_store);
        _store = null;
    }

    [Test]
    public async Task A_new_device_reads_back_exactly_as_it_was_added()
    {
        var device = Device("env-1", tags: ["pilot", "ring-road"], capabilities: ["pm2.5", "pm10"], batch: "2026-11");

        Assert.That(await Store.TryAddDeviceAsync(device, None), Is.True);

        Assert.That(Json(await Store.FindDeviceAsync("env-1", None)), Is.EqualTo(Json(device)));
    }

    [Test]
    public async Task A_code_is_added_once_and_the_first_entry_stays()
    {
        await Store.TryAddDeviceAsync(Device("env-1", tenant: "first"), None);

        var again = await Store.TryAddDeviceAsync(Device("env-1", tenant: "second"), None);

        Assert.That(again, Is.False);
        Assert.That((await Store.FindDeviceAsync("env-1", None))!.Tenant, Is.EqualTo("first"));
    }

    [Test]
    public async Task An_unknown_or_empty_code_finds_nothing()
    {
        await Store.TryAddDeviceAsync(Device("env-1"), None);

        Assert.That(await Store.FindDeviceAsync("env-2", None), Is.Null);
        Assert.That(await Store.FindDeviceAsync("", None), Is.Null);
    }

    [Test]
    public async Task Codes_differing_only_in_case_are_two_devices()
    {
        await Store.TryAddDeviceAsync(Device("Env-1", tenant: "upper"), None);

        Assert.That(await Store.TryAddDeviceAsync(Device("env-1", tenant: "lower"), None), Is.True);
        Assert.That((await Store.FindDeviceAsync("Env-1", None))!.Tenant, Is.EqualTo("upper"));
    }

    [Test]
    public async Task An_update_naming_the_revision_it_read_replaces_the_device()
    {
        var device = Device("env-1");
        await Store.TryAddDeviceAsync(device, None);
        var changed = device with { Tenant = "water-utility", Firmware = "1.5.0", Revision = 2, UpdatedAt = T0.AddMinutes(1) };

        Assert.That(await Store.TryUpdateDeviceAsync(changed, expectedRevision: 1, None), Is.True);

        Assert.That(Json(await Store.FindDeviceAsync("env-1", None)), Is.EqualTo(Json(changed)));
    }

    [Test]
    public async Task An_update_naming_a_stale_revision_is_refused_and_changes_nothing()
    {
        var device = Device("env-1");
        await Store.TryAddDeviceAsync(device, None);
        await Store.TryUpdateDeviceAsync(device with { Firmware = "1.5.0", Revision = 2 }, 1, None);

        var stale = await Store.TryUpdateDeviceAsync(device with { Firmware = "9.9.9", Revision = 2 }, 1, None);

        Assert.That(stale, Is.False);
        Assert.That((await Store.FindDeviceAsync("env-1", None))!.Firmware, Is.EqualTo("1.5.0"));
    }

    [Test]
    public async Task An_update_of_an_unknown_device_is_refused_and_adds_nothing()
    {
        Assert.That(await Store.TryUpdateDeviceAsync(Device("env-9") with { Revision = 2 }, 1, None), Is.False);
        Assert.That(await Store.FindDeviceAsync("env-9", None), Is.Null);
    }

    private static IEnumerable<TestCaseData> SingleFilters()
    {
        yield return new TestCaseData(new DeviceQuery { Kind = DeviceKind.Gateway }, new[] { "gw-1" }).SetName("Kind");
        yield return new TestCaseData(new DeviceQuery { Tenant = "water-utility" }, new[] { "wm-1", "wm-2" }).SetName("Tenant");
        yield return new TestCaseData(new DeviceQuery { Tenants = new HashSet<string>(["water-utility", "nobody"], StringComparer.Ordinal) }, new[] { "wm-1", "wm-2" }).SetName("Any of the tenants");
        yield return new TestCaseData(new DeviceQuery { Tenants = new HashSet<string>(StringComparer.Ordinal) }, Array.Empty<string>()).SetName("None of no tenants");
        yield return new TestCaseData(new DeviceQuery { District = "erqi" }, new[] { "wm-2" }).SetName("District, whatever its case");
        yield return new TestCaseData(new DeviceQuery { Tags = ["pilot", "ring-road"] }, new[] { "env-1" }).SetName("Every tag");
        yield return new TestCaseData(new DeviceQuery { State = LifecycleState.InService }, new[] { "wm-1" }).SetName("State");
        yield return new TestCaseData(new DeviceQuery { Firmware = "2.0.0" }, new[] { "gw-1" }).SetName("Firmware");
        yield return new TestCaseData(new DeviceQuery { Gateway = "gw-1" }, new[] { "wm-1", "wm-2" }).SetName("Gateway");
        yield return new TestCaseData(new DeviceQuery { Capability = "water-volume" }, new[] { "wm-1", "wm-2" }).SetName("Capability");
        yield return new TestCaseData(new DeviceQuery { Batch = "b-7" }, new[] { "env-1", "wm-2" }).SetName("Batch");
        yield return new TestCaseData(new DeviceQuery { Model = "generic-water-meter" }, new[] { "wm-1", "wm-2" }).SetName("Model");
        yield return new TestCaseData(new DeviceQuery { Within = new GeoBox(34.70, 34.75, 113.60, 113.65) }, new[] { "env-1", "wm-1" }).SetName("Within a box");
        yield return new TestCaseData(DeviceQuery.All, new[] { "env-1", "gw-1", "wm-1", "wm-2" }).SetName("All, ordered by code");
    }

    [Test]
    public async Task Tenants_are_found_for_the_codes_the_ledger_has_and_only_for_those()
    {
        await AddSampleLedgerAsync();

        var tenants = await Store.FindTenantsAsync(["wm-1", "env-1", "unknown", "WM-1", "wm-1", ""], None);

        Assert.That(tenants, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["wm-1"] = "water-utility",
            ["env-1"] = (await Store.FindDeviceAsync("env-1", None))!.Tenant,
        }));
    }

    [TestCaseSource(nameof(SingleFilters))]
    public async Task A_query_selects_by_each_filter(DeviceQuery query, string[] expected)
    {
        await AddSampleLedgerAsync();

        var found = await Store.QueryDevicesAsync(query, None);

        Assert.That(found.Select(device => device.Code), Is.EqualTo(expected));
    }

    [Test]
    public async Task A_query_with_several_filters_needs_all_of_them()
    {
        await AddSampleLedgerAsync();

        var found = await Store.QueryDevicesAsync(new DeviceQuery { Tenant = "water-utility", Gateway = "gw-1", Batch = "b-7" }, None);

        Assert.That(found.Select(device => device.Code), Is.EqualTo(new[] { "wm-2" }));
    }

    [Test]
    public async Task A_box_query_leaves_out_devices_without_coordinates()
    {
        await Store.TryAddDeviceAsync(Device("env-1", latitude: null, longitude: null), None);

        var found = await Store.QueryDevicesAsync(new DeviceQuery { Within = new GeoBox(-90, 90, -180, 180) }, None);

        Assert.That(found, Is.Empty);
    }

    [Test]
    public async Task A_query_sees_an_update_of_an_indexed_field()
    {
        var device = Device("wm-1", kind: DeviceKind.WaterMeter, gateway: "gw-1");
        await Store.TryAddDeviceAsync(device, None);
        await Store.TryUpdateDeviceAsync(device with { Gateway = "gw-2", Revision = 2 }, 1, None);

        Assert.That(await Store.QueryDevicesAsync(new DeviceQuery { Gateway = "gw-1" }, None), Is.Empty);
        Assert.That((await Store.QueryDevicesAsync(new DeviceQuery { Gateway = "gw-2" }, None)).Single().Code, Is.EqualTo("wm-1"));
    }

    [Test]
    public async Task Credentials_of_a_device_are_listed_oldest_first_and_only_its_own()
    {
        await Store.AddCredentialAsync(Password("c-2", "gw-1", T0.AddMinutes(2)), None);
        await Store.AddCredentialAsync(Password("c-1", "gw-1", T0.AddMinutes(1)), None);
        await Store.AddCredentialAsync(Password("c-3", "gw-2"), None);

        var listed = await Store.ListCredentialsAsync("gw-1", None);

        Assert.That(listed.Select(credential => credential.Id), Is.EqualTo(new[] { "c-1", "c-2" }));
        Assert.That(listed[0], Is.EqualTo(Password("c-1", "gw-1", T0.AddMinutes(1))));
    }

    [Test]
    public async Task A_revocation_is_kept()
    {
        await Store.AddCredentialAsync(Password("c-1", "gw-1"), None);
        var revoked = Password("c-1", "gw-1") with { RevokedAt = T0.AddHours(1), RevokedBy = "operator", RevocationReason = "lost", ValidUntil = T0.AddHours(2) };

        Assert.That(await Store.TryUpdateCredentialAsync(revoked, None), Is.True);

        Assert.That((await Store.ListCredentialsAsync("gw-1", None)).Single(), Is.EqualTo(revoked));
    }

    [Test]
    public async Task Updating_an_unknown_credential_is_refused()
    {
        Assert.That(await Store.TryUpdateCredentialAsync(Password("c-9", "gw-1"), None), Is.False);
        Assert.That(await Store.ListCredentialsAsync("gw-1", None), Is.Empty);
    }

    [Test]
    public async Task Every_credential_is_listed_by_device_then_age()
    {
        await Store.AddCredentialAsync(Password("c-3", "gw-2"), None);
        await Store.AddCredentialAsync(Password("c-2", "gw-1", T0.AddMinutes(1)), None);
        await Store.AddCredentialAsync(Password("c-1", "gw-1"), None);

        var all = await Store.ListAllCredentialsAsync(None);

        Assert.That(all.Select(credential => credential.Id), Is.EqualTo(new[] { "c-1", "c-2", "c-3" }));
    }

    [Test]
    public async Task A_certificate_credential_is_found_by_its_thumbprint()
    {
        await Store.AddCredentialAsync(Password("c-1", "gw-1"), None);
        await Store.AddCredentialAsync(Certificate("c-2", "gw-1", "AB12"), None);

        Assert.That(await Store.FindCredentialByThumbprintAsync("AB12", None), Is.EqualTo(Certificate("c-2", "gw-1", "AB12")));
        Assert.That(await Store.FindCredentialByThumbprintAsync("CD34", None), Is.Null);
    }

    [Test]
    public async Task A_claim_token_reads_back_as_it_was_added()
    {
        await Store.AddClaimTokenAsync(Token("H1", batch: "b-7"), None);

        var token = await Store.FindClaimTokenAsync("H1", None);

        Assert.That(token, Is.Not.Null);
        Assert.That(token! with { Claimed = [] }, Is.EqualTo(Token("H1", batch: "b-7") with { Claimed = [] }));
        Assert.That(token.Claimed, Is.Empty);
        Assert.That(await Store.FindClaimTokenAsync("H2", None), Is.Null);
    }

    [Test]
    public async Task A_claim_spends_the_token_and_moves_the_device_together()
    {
        var device = Device("env-1");
        await Store.TryAddDeviceAsync(device, None);
        await Store.AddClaimTokenAsync(Token("H1", device: "env-1"), None);
        var installed = Installed(device);

        var outcome = await Store.CommitClaimAsync("H1", installed, 1, T0.AddHours(1), None);

        Assert.That(outcome, Is.EqualTo(ClaimCommit.Claimed));
        Assert.That(Json(await Store.FindDeviceAsync("env-1", None)), Is.EqualTo(Json(installed)));
        Assert.That((await Store.FindClaimTokenAsync("H1", None))!.Claimed, Is.EqualTo(new[] { "env-1" }));
    }

    [Test]
    public async Task A_device_token_claims_once()
    {
        var device = Device("env-1");
        await Store.TryAddDeviceAsync(device, None);
        await Store.AddClaimTokenAsync(Token("H1", device: "env-1"), None);
        await Store.CommitClaimAsync("H1", Installed(device), 1, T0.AddHours(1), None);

        var again = await Store.CommitClaimAsync("H1", Installed(device) with { Revision = 3 }, 2, T0.AddHours(1), None);

        Assert.That(again, Is.EqualTo(ClaimCommit.AlreadyUsed));
        Assert.That((await Store.FindDeviceAsync("env-1", None))!.Revision, Is.EqualTo(2));
    }

    [Test]
    public async Task A_batch_token_claims_each_device_of_the_batch_once()
    {
        var first = Device("env-1", batch: "b-7");
        var second = Device("env-2", batch: "b-7");
        await Store.TryAddDeviceAsync(first, None);
        await Store.TryAddDeviceAsync(second, None);
        await Store.AddClaimTokenAsync(Token("H1", batch: "b-7"), None);

        var one = await Store.CommitClaimAsync("H1", Installed(first), 1, T0.AddHours(1), None);
        var two = await Store.CommitClaimAsync("H1", Installed(second), 1, T0.AddHours(1), None);
        var oneAgain = await Store.CommitClaimAsync("H1", Installed(first) with { Revision = 3 }, 2, T0.AddHours(1), None);

        Assert.That(new[] { one, two, oneAgain }, Is.EqualTo(new[] { ClaimCommit.Claimed, ClaimCommit.Claimed, ClaimCommit.AlreadyUsed }));
        Assert.That((await Store.FindClaimTokenAsync("H1", None))!.Claimed, Is.EqualTo(new[] { "env-1", "env-2" }));
    }

    [Test]
    public async Task An_expired_or_unknown_token_claims_nothing()
    {
        var device = Device("env-1");
        await Store.TryAddDeviceAsync(device, None);
        await Store.AddClaimTokenAsync(Token("H1", device: "env-1", expiresAt: T0.AddHours(8)), None);

        var expired = await Store.CommitClaimAsync("H1", Installed(device), 1, T0.AddHours(8), None);
        var unknown = await Store.CommitClaimAsync("H2", Installed(device), 1, T0.AddHours(1), None);

        Assert.That(new[] { expired, unknown }, Is.EqualTo(new[] { ClaimCommit.Expired, ClaimCommit.UnknownToken }));
        Assert.That((await Store.FindDeviceAsync("env-1", None))!.State, Is.EqualTo(LifecycleState.Registered));
        Assert.That((await Store.FindClaimTokenAsync("H1", None))!.Claimed, Is.Empty);
    }

    [Test]
    public async Task A_claim_of_a_device_changed_meanwhile_leaves_the_token_unspent()
    {
        var device = Device("env-1");
        await Store.TryAddDeviceAsync(device, None);
        await Store.TryUpdateDeviceAsync(device with { Firmware = "1.5.0", Revision = 2 }, 1, None);
        await Store.AddClaimTokenAsync(Token("H1", device: "env-1"), None);

        var outcome = await Store.CommitClaimAsync("H1", Installed(device), 1, T0.AddHours(1), None);

        Assert.That(outcome, Is.EqualTo(ClaimCommit.DeviceChanged));
        Assert.That((await Store.FindClaimTokenAsync("H1", None))!.Claimed, Is.Empty);
        Assert.That((await Store.FindDeviceAsync("env-1", None))!.Firmware, Is.EqualTo("1.5.0"));
    }

    private static LedgerDevice Installed(LedgerDevice device) => device with
    {
        State = LifecycleState.Installed,
        Installer = "li.wei",
        InstalledAt = T0.AddHours(1),
        UpdatedAt = T0.AddHours(1),
        Revision = device.Revision + 1,
        History = [.. device.History, new LifecycleChange(LifecycleState.Registered, LifecycleState.Installed, T0.AddHours(1), "li.wei", "claimed")],
    };

    private async Task AddSampleLedgerAsync()
    {
        await Store.TryAddDeviceAsync(Device("wm-2", DeviceKind.WaterMeter, "water-utility", "gw-1", district: "Erqi", latitude: 34.72, longitude: 113.70,
            tags: ["pilot"], capabilities: ["water-volume"], batch: "b-7", model: "generic-water-meter"), None);
        await Store.TryAddDeviceAsync(Device("env-1", tags: ["pilot", "ring-road"], batch: "b-7"), None);
        await Store.TryAddDeviceAsync(Device("gw-1", DeviceKind.Gateway, "city-bureau", firmware: "2.0.0", latitude: 34.80, longitude: 113.60,
            tags: [], capabilities: [], model: "civicedge-gateway"), None);
        await Store.TryAddDeviceAsync(Device("wm-1", DeviceKind.WaterMeter, "water-utility", "gw-1", LifecycleState.InService, 34.71, 113.62,
            tags: [], capabilities: ["water-volume"], model: "generic-water-meter"), None);
    }
}
