using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Core.Ledger;

namespace CivicEdge.Fleet.Server.Ledger;

/// <summary>
/// Reading request bodies and answering refusals for the ledger's endpoints: every problem is RFC 9457 problem details
/// naming the field, what was expected and what was found.
/// </summary>
internal static class LedgerRequests
{
    private const int MaxBodyBytes = 64 * 1024;

    /// <summary>The body read as <typeparamref name="T"/>, or the problem to answer with.</summary>
    public static async Task<(T? Body, IResult? Problem)> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> typeInfo, bool optional, CancellationToken cancellationToken)
        where T : class
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        if (buffer.Length > MaxBodyBytes)
            return (null, Invalid("body", $"body: expected at most {MaxBodyBytes} bytes of JSON, found {buffer.Length}"));
        if (buffer.Length == 0)
            return optional ? (null, null) : (null, Invalid("body", "body: expected a JSON object, found an empty body"));

        try
        {
            var body = JsonSerializer.Deserialize(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), typeInfo);
            return body is null ? (null, Invalid("body", "body: expected a JSON object, found null")) : (body, null);
        }
        catch (JsonException exception)
        {
            var field = Field(exception.Path);
            var found = field == "body"
                ? $"text that is not such JSON ({exception.Message})"
                : "a value of another type, or a name it does not know";
            return (null, Invalid(field, $"{field}: expected {Expected(field)}, found {found}"));
        }
    }

    public static IResult Problem(LedgerFailure failure) => failure.Kind switch
    {
        LedgerFailureKind.Invalid => TypedResults.ValidationProblem(failure.Problems, failure.Detail, title: failure.Title),
        _ => TypedResults.Problem(
            statusCode: failure.Kind == LedgerFailureKind.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status409Conflict,
            title: failure.Title,
            detail: failure.Detail,
            extensions: new Dictionary<string, object?>(StringComparer.Ordinal) { ["errors"] = failure.Problems }),
    };

    public static IResult Invalid(string field, string problem) =>
        TypedResults.ValidationProblem(
            new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [problem] }, problem, title: "Invalid request");

    /// <summary><c>$.location.latitude</c> → <c>location.latitude</c>; the whole body when the path is unknown.</summary>
    private static string Field(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;

    private static string Expected(string field) => field switch
    {
        "kind" => $"one of {LedgerNames.All<DeviceKind>()}",
        "state" => $"one of {LedgerNames.All<LifecycleState>()}",
        "lifetime" or "grace" => "a duration such as 08:00:00 or 1.00:00:00",
        "issueCredential" or "revokeOld" => "true or false",
        "location" => "an object with latitude, longitude, address, poleNumber and district",
        _ when field.StartsWith("location.", StringComparison.Ordinal) && field.EndsWith("itude", StringComparison.Ordinal) => "a number of degrees",
        _ when field.StartsWith("tags", StringComparison.Ordinal) || field.StartsWith("capabilities", StringComparison.Ordinal) => "an array of strings",
        "body" => "a JSON object",
        _ => "a string",
    };
}
