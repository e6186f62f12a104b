using System.Collections.Concurrent;
using CivicEdge.Firmware.Core.Hal;

namespace CivicEdge.Firmware.Host;

/// <summary>
/// Settings storage in memory that outlives a simulated reboot (hand the same instance to the next boot) and can cut a
/// write short, as a power loss does on flash: <see cref="TearNextWriteAfter"/> bytes reach the slot, the rest never do.
/// </summary>
public sealed class MemorySettingsStorage : ISettingsStorage
{
    private readonly ConcurrentDictionary<string, byte[]> _slots = new(StringComparer.Ordinal);
    private int _tearAfter = -1;

    /// <summary>How many writes the firmware made (flash wears out: a settings store must not write on every reading).</summary>
    public long Writes { get; private set; }

    /// <summary>The next write keeps only its first <paramref name="bytes"/> bytes and then fails, as if power were lost.</summary>
    public void TearNextWriteAfter(int bytes) => _tearAfter = bytes;

    public byte[]? Read(string slot) => _slots.TryGetValue(slot, out var data) ? (byte[])data.Clone() : null;

    public void Write(string slot, byte[] data)
    {
        Writes++;
        if (_tearAfter >= 0)
        {
            var kept = data.AsSpan(0, Math.Min(_tearAfter, data.Length)).ToArray();
            _tearAfter = -1;
            _slots[slot] = kept;
            throw new PowerLossException(slot, kept.Length, data.Length);
        }

        _slots[slot] = (byte[])data.Clone();
    }

    public void Erase(string slot) => _slots.TryRemove(slot, out _);
}
