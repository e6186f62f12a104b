namespace CivicEdge.Rules.Documents;

/// <summary>A device a rule set reads or writes, under the name its expressions use.</summary>
/// <param name="Name">The name in expressions, e.g. <c>lamp</c> in <c>lamp.lamp_current</c>.</param>
/// <param name="Model">Its hardware profile's model, against which point names are checked.</param>
/// <param name="DeviceId">
/// Its unified device code; null in a template, which is bound to a device when it is compiled
/// (<see cref="Evaluation.DeviceBinding"/>).
/// </param>
/// <param name="StaleAfter">How long without a good reading before communication counts as lost; null for the engine's default.</param>
public sealed record RuleDevice(string Name, string Model, string? DeviceId, TimeSpan? StaleAfter);
