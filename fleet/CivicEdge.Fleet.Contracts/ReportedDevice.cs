namespace CivicEdge.Fleet.Contracts;

/// <summary>One field device as a gateway runs it.</summary>
/// <param name="Id">The device's unified device code.</param>
/// <param name="Model">The hardware profile model it is polled by.</param>
/// <param name="Bus">The bus it is on.</param>
/// <param name="Unit">Its Modbus unit identifier.</param>
/// <param name="PollIntervalSeconds">How often it is polled.</param>
public sealed record ReportedDevice(string Id, string Model, string Bus, int Unit, double PollIntervalSeconds);
