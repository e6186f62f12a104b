namespace CivicEdge.Gateway.Uplink;

/// <summary>A request from the fleet (MQTT 5 request/response, §4.10): the payload, and where and how to answer.</summary>
/// <param name="Payload">The message's payload (a copy).</param>
/// <param name="ResponseTopic">The response topic the fleet named, if any.</param>
/// <param name="CorrelationData">The correlation data to echo in the response, if any.</param>
public sealed record UplinkRequest(byte[] Payload, string? ResponseTopic, byte[]? CorrelationData);
