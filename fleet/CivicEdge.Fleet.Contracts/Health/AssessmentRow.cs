namespace CivicEdge.Fleet.Contracts.Health;

/// <summary>The plans' assessment figures of one district and owner.</summary>
/// <param name="District">The district, <c>(none)</c> for devices without one, or <c>all</c> in the total row.</param>
/// <param name="Tenant">The owner, or <c>all</c> in the total row.</param>
/// <param name="SmartLighting">Share of poles with working smart lighting.</param>
/// <param name="MeterReporting">Share of households whose smart meter reports.</param>
/// <param name="PipeSensorsOnline">Share of monitored pipe sensors online.</param>
public sealed record AssessmentRow(
    string District,
    string Tenant,
    AssessmentFigure SmartLighting,
    AssessmentFigure MeterReporting,
    AssessmentFigure PipeSensorsOnline);
