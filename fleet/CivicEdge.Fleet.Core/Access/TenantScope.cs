using System.Collections.Frozen;

namespace CivicEdge.Fleet.Core.Access;

/// <summary>
/// The tenants a caller acts for (a bureau, a utility, a county: seed requirements FR-03), or the whole city.
/// </summary>
public sealed class TenantScope
{
    /// <summary>How a city-wide scope is written where a list of tenants is expected (token claims, the audit log).</summary>
    public const string AllTenantsMark = "*";

    private TenantScope(bool allTenants, FrozenSet<string> tenants)
    {
        AllTenants = allTenants;
        Tenants = tenants;
    }

    public static TenantScope CityWide { get; } = new(true, FrozenSet<string>.Empty);

    /// <summary>Every tenant's devices.</summary>
    public bool AllTenants { get; }

    /// <summary>The tenants, ordinal; empty when <see cref="AllTenants"/>.</summary>
    public IReadOnlySet<string> Tenants { get; }

    public static TenantScope Of(IEnumerable<string> tenants)
    {
        ArgumentNullException.ThrowIfNull(tenants);
        return new TenantScope(false, tenants.ToFrozenSet(StringComparer.Ordinal));
    }

    /// <summary>True when this scope includes <paramref name="tenant"/>; a device without a tenant is only in a city-wide scope.</summary>
    public bool Covers(string? tenant) => AllTenants || (tenant is not null && Tenants.Contains(tenant));

    /// <summary>True when every tenant of <paramref name="other"/> is in this scope.</summary>
    public bool Includes(TenantScope other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return AllTenants || (!other.AllTenants && other.Tenants.All(Tenants.Contains));
    }

    /// <summary>The tenants as the audit log lists them: <c>*</c> for city-wide, else sorted.</summary>
    public IReadOnlyList<string> ToList() =>
        AllTenants ? [AllTenantsMark] : Tenants.Order(StringComparer.Ordinal).ToList();

    public override string ToString() => string.Join(",", ToList());
}
