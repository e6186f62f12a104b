namespace CivicEdge.Simulators.Load;

/// <summary>A verified payload, or why there is none.</summary>
internal sealed record PayloadFetch(byte[]? Payload, string? Problem)
{
    public static PayloadFetch Refused(string problem) => new(null, problem);
}
