namespace CivicEdge.Simulators.MeterLines;

/// <summary>What a simulated meter answers to one request, and how it would answer wrongly when a fault asks it to.</summary>
/// <param name="Address">The meter's address as configured, for fault rules and logs.</param>
/// <param name="Frame">The proper answer.</param>
/// <param name="Refusal">The protocol's refusal of the same request (error or abnormal reply), when it has one.</param>
/// <param name="FromOtherAddress">The same answer as another meter would send it.</param>
public sealed record MeterAnswer(string Address, byte[] Frame, byte[]? Refusal, byte[] FromOtherAddress);
