namespace CivicEdge.Fleet.Contracts.Health;

/// <summary>One of the plans' assessment figures: how many of the eligible devices count, and the share.</summary>
/// <param name="Counted">Devices that meet the figure's condition.</param>
/// <param name="Eligible">Devices the figure is about.</param>
/// <param name="Share">Counted / eligible, 0 to 1; null when none is eligible.</param>
public sealed record AssessmentFigure(int Counted, int Eligible, double? Share);
