using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CivicEdge.Fleet.Contracts;

namespace CivicEdge.Fleet.Core;

/// <summary>Reads uplink payloads (UTF-8 JSON per <see cref="ContractsJson"/>) without ever throwing on bad input.</summary>
internal static class UplinkJson
{
    public static bool TryRead<T>(
        ReadOnlySequence<byte> payload,
        JsonTypeInfo<T> typeInfo,
        string what,
        [NotNullWhen(true)] out T? message,
        [NotNullWhen(false)] out string? reason)
        where T : class
    {
        message = null;
        if (payload.IsEmpty)
        {
            reason = $"payload: expected {what} as JSON, found an empty payload";
            return false;
        }

        try
        {
            // Deserializing a span (not a reader positioned on the first value) also rejects trailing content.
            message = payload.IsSingleSegment
                ? JsonSerializer.Deserialize(payload.FirstSpan, typeInfo)
                : JsonSerializer.Deserialize(payload.ToArray(), typeInfo);
        }
        catch (JsonException exception)
        {
            reason = Describe(exception, what);
            return false;
        }

        if (message is null)
        {
            reason = $"payload: expected {what} as a JSON object, found null";
            return false;
        }

        reason = null;
        return true;
    }

    /// <summary>
    /// The stream and sequence range of a batch that could not be read as a whole, so that its rejection can still be
    /// matched to what the source sent; empty and zero where even that cannot be read.
    /// </summary>
    public static (string Stream, long FirstSeq, long LastSeq) PeekBatch(ReadOnlySequence<byte> payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return (string.Empty, 0, 0);

            var stream = root.TryGetProperty("stream", out var streamElement) && streamElement.ValueKind == JsonValueKind.String
                ? streamElement.GetString() ?? string.Empty
                : string.Empty;

            if (!root.TryGetProperty("records", out var records) || records.ValueKind != JsonValueKind.Array || records.GetArrayLength() == 0)
                return (stream, 0, 0);

            return (stream, SeqOf(records[0]), SeqOf(records[records.GetArrayLength() - 1]));
        }
        catch (JsonException)
        {
            return (string.Empty, 0, 0);
        }
    }

    private static long SeqOf(JsonElement record) =>
        record.ValueKind == JsonValueKind.Object
        && record.TryGetProperty("seq", out var seq)
        && seq.ValueKind == JsonValueKind.Number
        && seq.TryGetInt64(out var value)
            ? value
            : 0;

    private static string Describe(JsonException exception, string what)
    {
        // System.Text.Json appends " Path: $.x | LineNumber: 0 | BytePositionInLine: 7." to its message; the reason
        // states the place first instead, with 1-based line and byte numbers.
        var message = exception.Message;
        var pathAt = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (pathAt >= 0)
            message = message[..pathAt];

        var where = string.IsNullOrEmpty(exception.Path) ? "payload" : $"payload {exception.Path}";
        var position = exception.LineNumber is { } line && exception.BytePositionInLine is { } column
            ? $" (line {line + 1}, byte {column + 1})"
            : string.Empty;
        return $"{where}{position}: expected {what} as JSON, found {message.TrimEnd('.')}";
    }
}
