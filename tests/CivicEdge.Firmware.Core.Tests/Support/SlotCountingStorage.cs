using CivicEdge.Firmware.Core.Hal;

namespace CivicEdge.Firmware.Core.Tests.Support;

/// <summary>
/// Storage that counts the writes per slot (flash wear) and copies into buffers it keeps per slot, so that writing
/// the same length again allocates nothing.
/// </summary>
internal sealed class SlotCountingStorage : ISettingsStorage
{
    private readonly Dictionary<string, byte[]> _slots = new(StringComparer.Ordinal);

    public Dictionary<string, int> WritesPerSlot { get; } = new(StringComparer.Ordinal);

    public byte[]? Read(string slot) => _slots.TryGetValue(slot, out var data) ? (byte[])data.Clone() : null;

    public void Write(string slot, byte[] data)
    {
        if (!_slots.TryGetValue(slot, out var kept) || kept.Length != data.Length)
            _slots[slot] = kept = new byte[data.Length];
        data.CopyTo(kept, 0);
        WritesPerSlot[slot] = WritesPerSlot.GetValueOrDefault(slot) + 1;
    }

    public void Erase(string slot) => _slots.Remove(slot);

    /// <summary>Flips one bit of a stored slot, as a worn flash cell might.</summary>
    public void FlipBit(string slot, int offset) => _slots[slot][offset] ^= 0x10;
}
