using CivicEdge.Rules.Documents;

namespace CivicEdge.Rules.Evaluation;

/// <summary>Hands out slots while a rule set compiles, and records which slots each condition reads.</summary>
internal sealed class SlotAllocator : ISlotMap
{
    /// <summary>The device code under which virtual points are kept; no unified device code can contain a NUL.</summary>
    public const string VirtualCode = "\0virtual";

    private readonly IReadOnlyDictionary<string, string> _codes;
    private HashSet<int>? _reads;

    public SlotAllocator(IReadOnlyDictionary<string, string> codesByName, IEnumerable<string> deviceCodes)
    {
        _codes = codesByName;
        foreach (var code in deviceCodes)
        {
            if (DeviceIndex.ContainsKey(code))
                continue;
            DeviceIndex[code] = DeviceIndex.Count;
            StaleSlots[code] = New(-1);
        }
    }

    public Dictionary<(string Code, string Point), int> Points { get; } = [];

    public Dictionary<string, int> DeviceIndex { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, int> StaleSlots { get; } = new(StringComparer.Ordinal);

    public Dictionary<int, long> Windows { get; } = [];

    /// <summary>For each slot, the index of the device whose reading it holds, or -1 (virtual and staleness slots).</summary>
    public List<int> SlotDevice { get; } = [];

    public int Count => SlotDevice.Count;

    public void BeginReads() => _reads = [];

    public HashSet<int> EndReads()
    {
        var reads = _reads ?? [];
        _reads = null;
        return reads;
    }

    public int PointSlot(string device, string point)
    {
        var code = device == RuleSetLoader.VirtualDevice ? VirtualCode : _codes[device];
        if (!Points.TryGetValue((code, point), out var slot))
        {
            slot = New(code == VirtualCode ? -1 : DeviceIndex[code]);
            Points[(code, point)] = slot;
        }
        _reads?.Add(slot);
        return slot;
    }

    public int StaleSlot(string device)
    {
        var slot = StaleSlots[_codes[device]];
        _reads?.Add(slot);
        return slot;
    }

    public void KeepWindow(int slot, long spanTicks) =>
        Windows[slot] = Math.Max(spanTicks, Windows.GetValueOrDefault(slot));

    private int New(int device)
    {
        SlotDevice.Add(device);
        return SlotDevice.Count - 1;
    }
}
