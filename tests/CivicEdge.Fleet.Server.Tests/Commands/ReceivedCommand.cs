using CivicEdge.Fleet.Contracts.Commands;

namespace CivicEdge.Fleet.Server.Tests.Commands;

/// <summary>A command as a gateway received it: the request and the MQTT 5 properties it came with.</summary>
internal sealed record ReceivedCommand(CommandRequest Request, string? ResponseTopic, byte[]? CorrelationData, uint MessageExpiryInterval);
