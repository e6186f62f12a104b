using System.Text.Json;

namespace CivicEdge.Fleet.Contracts.Commands;

/// <summary>
/// <c>POST /api/commands</c>: one command for one device, a list of devices, or the devices a ledger query finds
/// (exactly one of <paramref name="Device"/>, <paramref name="Devices"/>, <paramref name="Query"/>). Each target gets
/// a command record of its own.
/// </summary>
/// <param name="Device">One target.</param>
/// <param name="Devices">Several targets.</param>
/// <param name="Query">Targets from the ledger.</param>
/// <param name="Name">What to do: <c>write</c>, <c>read</c>, <c>switch</c>, <c>dim</c>.</param>
/// <param name="Arguments">A JSON object; <c>{}</c> when absent.</param>
/// <param name="ExpiresInSeconds">How long the command may wait for an offline gateway and then for its result; the fleet's default when absent.</param>
public sealed record CommandSubmission(
    string? Device,
    IReadOnlyList<string>? Devices,
    CommandTargetQuery? Query,
    string? Name,
    JsonElement? Arguments,
    int? ExpiresInSeconds);
