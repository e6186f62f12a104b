namespace CivicEdge.Benchmarks.Scenarios;

/// <summary>How many idle device connections the embedded broker held, and what each cost the fleet process.</summary>
/// <param name="Asked">Connections opened (MQTT 5, keep-alive, one subscription each).</param>
/// <param name="Held">Connections still up when measured.</param>
/// <param name="ConnectSeconds">Time to open them all, 64 at a time.</param>
/// <param name="BaselineMegabytes">The fleet's resident memory before, with no device connected.</param>
/// <param name="ConnectedMegabytes">Its resident memory with every connection up.</param>
internal sealed record BrokerHoldingFigures(int Asked, int Held, double ConnectSeconds, double BaselineMegabytes, double ConnectedMegabytes)
{
    public double KilobytesPerConnection => Held > 0 ? (ConnectedMegabytes - BaselineMegabytes) * 1024 / Held : 0;
}
