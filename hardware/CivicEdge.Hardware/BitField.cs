namespace CivicEdge.Hardware;

/// <summary>
/// A run of bits inside one register, numbered from 0 (least significant) to 15: <c>bits: 3</c> is bit 3 alone,
/// <c>bits: 4-7</c> the four bits 4 to 7. The point's value is the field read as an unsigned number.
/// </summary>
/// <param name="First">The lowest bit of the field, 0..15.</param>
/// <param name="Count">How many bits, 1..16 - <paramref name="First"/>.</param>
public readonly record struct BitField(int First, int Count)
{
    /// <summary>The highest bit of the field.</summary>
    public int Last => First + Count - 1;

    public override string ToString() => Count == 1 ? $"{First}" : $"{First}-{Last}";
}
