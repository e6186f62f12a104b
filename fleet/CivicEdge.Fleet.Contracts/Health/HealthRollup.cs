namespace CivicEdge.Fleet.Contracts.Health;

/// <summary>The fleet's health at a glance (<c>GET /api/health</c>): totals and counts by tenant, district and kind.</summary>
/// <param name="At">When it was computed.</param>
/// <param name="Total">Every device the caller sees.</param>
/// <param name="ByTenant">One entry per tenant, ordered by name.</param>
/// <param name="ByDistrict">One entry per district, ordered by name.</param>
/// <param name="ByKind">One entry per kind, ordered by name.</param>
public sealed record HealthRollup(
    DateTimeOffset At,
    HealthCounts Total,
    IReadOnlyList<HealthCounts> ByTenant,
    IReadOnlyList<HealthCounts> ByDistrict,
    IReadOnlyList<HealthCounts> ByKind);
