namespace CivicEdge.Hardware;

/// <summary>A profile as read from its file, with the line of its model key for duplicate-model errors.</summary>
internal sealed record ReadProfile(DeviceProfile Profile, long ModelLine);
