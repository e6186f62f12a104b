using CivicEdge.Fleet.Contracts.Access;
using CivicEdge.Fleet.Core.Access;

namespace CivicEdge.Fleet.Core.Tests.Access;

[Category("Unit")]
public sealed class CallerScopeTests
{
    private static FleetCaller Caller(FleetRole role, TenantScope scope) => new("someone", role, scope, "api-key");

    [Test]
    public void A_tenant_scoped_caller_sees_its_tenants_devices_and_no_other_and_none_without_a_tenant()
    {
        var caller = Caller(FleetRole.Admin, TenantScope.Of(["water", "heat"]));

        Assert.That((caller.Sees("water"), caller.Sees("heat"), caller.Sees("gas"), caller.Sees(null)), Is.EqualTo((true, true, false, false)));
    }

    [TestCase(FleetRole.Admin, true)]
    [TestCase(FleetRole.Operator, false)]
    [TestCase(FleetRole.Regulator, false)]
    public void A_device_with_no_tenant_is_seen_by_city_wide_admins_only(FleetRole role, bool sees)
    {
        var caller = Caller(role, TenantScope.CityWide);

        Assert.That((caller.Sees(null), caller.Sees("gas")), Is.EqualTo((sees, true)));
    }

    [Test]
    public void A_scope_includes_another_only_when_every_tenant_of_it_is_its_own()
    {
        var water = TenantScope.Of(["water"]);
        var waterAndGas = TenantScope.Of(["water", "gas"]);

        Assert.That(waterAndGas.Includes(water), Is.True);
        Assert.That(water.Includes(waterAndGas), Is.False);
        Assert.That(water.Includes(TenantScope.CityWide), Is.False);
        Assert.That(TenantScope.CityWide.Includes(waterAndGas), Is.True);
        Assert.That((TenantScope.CityWide.ToString(), waterAndGas.ToString()), Is.EqualTo(("*", "gas,water")));
    }

    [Test]
    public void A_regulator_may_read_but_never_change_anything()
    {
        var changes = Enum.GetValues<FleetPermission>().Except([FleetPermission.ReadLedger, FleetPermission.ReadTelemetry, FleetPermission.ReadAggregates]);

        Assert.That(changes.Where(permission => RolePermissions.Grants(FleetRole.Regulator, permission)), Is.Empty);
        Assert.That(RolePermissions.Of(FleetRole.Regulator), Is.EqualTo(new[] { FleetPermission.ReadLedger, FleetPermission.ReadTelemetry, FleetPermission.ReadAggregates }));
    }

    [Test]
    public void Only_an_admin_manages_keys_reads_the_audit_log_and_the_brokers_files()
    {
        foreach (var permission in new[] { FleetPermission.ManageKeys, FleetPermission.ReadAudit, FleetPermission.ReadBroker })
        {
            Assert.That(Enum.GetValues<FleetRole>().Where(role => RolePermissions.Grants(role, permission)), Is.EqualTo(new[] { FleetRole.Admin }), permission.ToString());
        }
    }

    [Test]
    public void Device_credentials_are_for_admins_and_installers_and_registration_for_admins_and_operators()
    {
        FleetRole[] Holders(FleetPermission permission) => Enum.GetValues<FleetRole>().Where(role => RolePermissions.Grants(role, permission)).ToArray();

        Assert.That(Holders(FleetPermission.ManageCredentials), Is.EqualTo(new[] { FleetRole.Admin, FleetRole.Installer }));
        Assert.That(Holders(FleetPermission.RegisterDevices), Is.EqualTo(new[] { FleetRole.Admin, FleetRole.Operator }));
        Assert.That(Holders(FleetPermission.IssueClaimTokens), Is.EqualTo(new[] { FleetRole.Admin, FleetRole.Operator }));
        Assert.That(Holders(FleetPermission.ClaimDevices), Is.EqualTo(new[] { FleetRole.Admin, FleetRole.Operator, FleetRole.Installer }));
    }

    [Test]
    public async Task A_list_is_filtered_to_the_devices_the_caller_sees_in_its_order()
    {
        var visibility = new DeviceVisibility(new TenancyOf(new Dictionary<string, string> { ["a"] = "water", ["b"] = "gas", ["c"] = "water" }));
        string[] devices = ["c", "b", "stray", "a", "c"];

        var water = await visibility.FilterAsync(Caller(FleetRole.Operator, TenantScope.Of(["water"])), devices, d => d, CancellationToken.None);
        var cityOperator = await visibility.FilterAsync(Caller(FleetRole.Operator, TenantScope.CityWide), devices, d => d, CancellationToken.None);
        var cityAdmin = await visibility.FilterAsync(Caller(FleetRole.Admin, TenantScope.CityWide), devices, d => d, CancellationToken.None);

        Assert.That(water, Is.EqualTo(new[] { "c", "a", "c" }));
        Assert.That(cityOperator, Is.EqualTo(new[] { "c", "b", "a", "c" }));
        Assert.That(cityAdmin, Is.EqualTo(devices));
    }

    /// <summary>A fixed table of device owners.</summary>
    private sealed class TenancyOf(Dictionary<string, string> owners) : IDeviceTenancy
    {
        public Task<string?> FindTenantAsync(string deviceId, CancellationToken cancellationToken) =>
            Task.FromResult(owners.GetValueOrDefault(deviceId));

        public Task<IReadOnlyDictionary<string, string>> FindTenantsAsync(IReadOnlyCollection<string> deviceIds, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyDictionary<string, string>>(deviceIds.Where(owners.ContainsKey).Distinct().ToDictionary(id => id, id => owners[id]));
    }
}
