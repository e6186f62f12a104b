namespace CivicEdge.Simulators.MeterLines;

/// <summary>The meters of one simulated line, speaking one protocol: finds requests in the bytes a master sends and answers them.</summary>
public interface IMeterLineProtocol
{
    /// <summary>The protocol's name, e.g. <c>mbus</c>, for logs and the ready line.</summary>
    string Name { get; }

    /// <summary>The addresses of the meters on the line, as configured.</summary>
    IReadOnlyList<string> Addresses { get; }

    /// <summary>
    /// Looks at the bytes at the start of <paramref name="received"/>: the length of a complete request, 0 when more bytes
    /// are needed, or a negative count of bytes to throw away (noise, a frame of another kind).
    /// </summary>
    int Scan(ReadOnlySpan<byte> received);

    /// <summary>The answer to a complete request, or null when no meter on the line answers it (another address, a broadcast).</summary>
    MeterAnswer? Answer(ReadOnlySpan<byte> request, DateTimeOffset now);

    /// <summary>Moves every meter's values on to the present.</summary>
    void Update();
}
