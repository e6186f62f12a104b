using System.Text.Json;

namespace CivicEdge.Fleet.Contracts.Commands;

/// <summary>
/// A command as the fleet publishes it on <see cref="Topics.Commands"/> (QoS 1, not retained) with the MQTT 5 response
/// topic <see cref="Topics.Results"/> and the command id as correlation data (MQTT 5.0 §4.10 request/response).
/// </summary>
/// <param name="Id">The command id; a gateway executes each id once, however often it arrives.</param>
/// <param name="Target">The device to act on: the gateway itself or a device it runs.</param>
/// <param name="Name">What to do: <c>write</c>, <c>read</c>, <c>switch</c>, <c>dim</c>.</param>
/// <param name="Arguments">A JSON object, e.g. <c>{"point":"dimming_level","value":40}</c>.</param>
/// <param name="ExpiresAt">After this instant (UTC) the command must not be executed.</param>
public sealed record CommandRequest(string Id, string Target, string Name, JsonElement Arguments, DateTimeOffset ExpiresAt);
