namespace CivicEdge.Fleet.Contracts.Health;

/// <summary>The plans' assessment figures (<c>GET /api/health/assessment</c>): per district and owner, and in total.</summary>
/// <param name="At">When they were computed.</param>
/// <param name="Rows">One row per (district, owner) with eligible devices, ordered by district then owner.</param>
/// <param name="Total">Every device the caller sees.</param>
public sealed record PlanAssessment(DateTimeOffset At, IReadOnlyList<AssessmentRow> Rows, AssessmentRow Total);
