using CivicEdge.Firmware.Core.Hal;

namespace CivicEdge.Benchmarks;

/// <summary>
/// Settings storage that copies into buffers allocated once per slot, as a flash driver writes into its pages: the
/// firmware benchmarks then count the firmware's own allocations, not a host dictionary's copies.
/// </summary>
internal sealed class FlashSlots : ISettingsStorage
{
    private readonly Dictionary<string, byte[]> _slots = new(StringComparer.Ordinal);

    public long Writes { get; private set; }

    public byte[]? Read(string slot) => _slots.TryGetValue(slot, out var data) ? (byte[])data.Clone() : null;

    public void Write(string slot, byte[] data)
    {
        Writes++;
        if (!_slots.TryGetValue(slot, out var page) || page.Length != data.Length)
            _slots[slot] = page = new byte[data.Length];
        data.CopyTo(page, 0);
    }

    public void Erase(string slot) => _slots.Remove(slot);
}
