namespace CivicEdge.Fleet.Server.Commands;

/// <summary>What the fleet's MQTT client tells the command dispatcher: a source came or went, spoke, or answered a command.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Source">The source it concerns.</param>
/// <param name="Payload">A result's payload (a copy).</param>
/// <param name="CorrelationData">A result's MQTT 5 correlation data.</param>
internal sealed record CommandSignal(CommandSignalKind Kind, string Source, byte[]? Payload = null, byte[]? CorrelationData = null);
