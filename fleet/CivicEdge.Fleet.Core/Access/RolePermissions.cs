using System.Collections.Frozen;
using CivicEdge.Fleet.Contracts.Access;

namespace CivicEdge.Fleet.Core.Access;

/// <summary>
/// What each role may do: the one table the REST API's authorization policies and <c>GET /api/me</c> read. A regulator
/// reads data and aggregates and changes nothing (seed requirements FR-15); an installer claims and commissions devices
/// on site and issues their credentials; keys, the audit log and the broker's files are the admin's (FR-36: graded
/// permissions).
/// </summary>
public static class RolePermissions
{
    private static readonly FrozenDictionary<FleetRole, FrozenSet<FleetPermission>> Table = new Dictionary<FleetRole, FrozenSet<FleetPermission>>
    {
        [FleetRole.Admin] = Enum.GetValues<FleetPermission>().ToFrozenSet(),
        [FleetRole.Operator] = new[]
        {
            FleetPermission.ReadLedger, FleetPermission.ReadTelemetry, FleetPermission.ReadAggregates,
            FleetPermission.RegisterDevices, FleetPermission.ClaimDevices, FleetPermission.IssueClaimTokens,
            FleetPermission.ChangeLifecycle, FleetPermission.SendCommands, FleetPermission.ChangeTwin, FleetPermission.HandleAlarms,
            FleetPermission.ReadArtifacts, FleetPermission.ManageArtifacts,
        }.ToFrozenSet(),
        [FleetRole.Installer] = new[]
        {
            FleetPermission.ReadLedger, FleetPermission.ReadTelemetry,
            FleetPermission.ClaimDevices, FleetPermission.ChangeLifecycle, FleetPermission.ManageCredentials,
            FleetPermission.ReadArtifacts,
        }.ToFrozenSet(),
        [FleetRole.Regulator] = new[]
        {
            FleetPermission.ReadLedger, FleetPermission.ReadTelemetry, FleetPermission.ReadAggregates,
        }.ToFrozenSet(),
    }.ToFrozenDictionary();

    /// <summary>True when <paramref name="role"/> may do <paramref name="permission"/>.</summary>
    public static bool Grants(FleetRole role, FleetPermission permission) =>
        Table.TryGetValue(role, out var permissions) && permissions.Contains(permission);

    /// <summary>Everything <paramref name="role"/> may do, in the order of <see cref="FleetPermission"/>.</summary>
    public static IReadOnlyList<FleetPermission> Of(FleetRole role) =>
        Enum.GetValues<FleetPermission>().Where(permission => Grants(role, permission)).ToList();
}
