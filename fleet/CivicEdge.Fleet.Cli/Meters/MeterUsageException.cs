namespace CivicEdge.Fleet.Cli.Meters;

/// <summary>A bad option of <c>civic dlt645</c> or <c>civic cjt188</c>; the message is for the person at the terminal.</summary>
public sealed class MeterUsageException(string message) : Exception(message);
