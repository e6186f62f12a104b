namespace CivicEdge.Simulators.MeterLines;

/// <summary>One fault to inject into a meter line's answers.</summary>
/// <param name="Kind">What goes wrong.</param>
/// <param name="Probability">The chance per request, 0..1, when <paramref name="Count"/> is null.</param>
/// <param name="Count">The next N requests, instead of a probability.</param>
/// <param name="Address">Only for the meter at this address (as configured); every meter when null.</param>
/// <param name="Delay">For <see cref="MeterFaultKind.Late"/>, how late; for <see cref="MeterFaultKind.Gone"/>, when after start.</param>
/// <param name="Bytes">For <see cref="MeterFaultKind.Garbage"/>, how many bytes.</param>
public sealed record MeterFaultRule(MeterFaultKind Kind, double Probability = 1, int? Count = null, string? Address = null, TimeSpan Delay = default, int Bytes = 4);
