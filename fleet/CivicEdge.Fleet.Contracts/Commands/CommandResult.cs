using System.Text.Json;

namespace CivicEdge.Fleet.Contracts.Commands;

/// <summary>A gateway's answer to a <see cref="CommandRequest"/>, on the request's response topic with its correlation data.</summary>
/// <param name="Id">The command id answered.</param>
/// <param name="Target">The command's target, as requested.</param>
/// <param name="Status">How it ended.</param>
/// <param name="Reason">Why it failed or was refused; null on success.</param>
/// <param name="Result">What the device answered, e.g. <c>{"point":"dimming_level","value":40,"unit":"%"}</c>; null when nothing was done.</param>
/// <param name="CompletedAt">When the gateway finished with it (UTC).</param>
public sealed record CommandResult(string Id, string Target, CommandStatus Status, string? Reason, JsonElement? Result, DateTimeOffset CompletedAt);
