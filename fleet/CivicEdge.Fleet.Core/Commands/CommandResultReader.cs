using System.Buffers;
using System.Text.Json;
using CivicEdge.Fleet.Contracts.Commands;

namespace CivicEdge.Fleet.Core.Commands;

/// <summary>Reads a gateway's <see cref="CommandResult"/> off the wire; a malformed one is refused saying what was expected and what was found.</summary>
public static class CommandResultReader
{
    /// <summary>The result, or null with <paramref name="problem"/> saying what is wrong.</summary>
    public static CommandResult? Read(ReadOnlySequence<byte> payload, out string? problem)
    {
        problem = null;
        if (payload.IsEmpty)
        {
            problem = "expected a command result as JSON, found an empty message";
            return null;
        }

        try
        {
            var reader = new Utf8JsonReader(payload);
            var result = JsonSerializer.Deserialize(ref reader, CommandsJson.Default.CommandResult);
            if (result is null)
                problem = "expected a command result, found null";
            else if (string.IsNullOrEmpty(result.Id))
                problem = "id: expected the command id, found an empty string";
            else if (result.Status != CommandStatus.Succeeded && string.IsNullOrWhiteSpace(result.Reason))
                problem = $"reason: expected why command {result.Id} ended {result.Status}, found none";
            else
                return result;
        }
        catch (JsonException exception)
        {
            problem = $"expected a command result as JSON, found {exception.Message}";
        }

        return null;
    }
}
