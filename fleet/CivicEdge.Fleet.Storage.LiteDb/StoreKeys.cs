using System.Globalization;
using LiteDB;

namespace CivicEdge.Fleet.Storage.LiteDb;

/// <summary>
/// Composite primary keys. A reading's key is <c>device␟ticks␟unique</c> with the UTC ticks zero-padded to 19 digits,
/// so under the database's binary collation the primary index is ordered by (device, time) and a time window of one
/// device is a single index range.
/// </summary>
internal static class StoreKeys
{
    /// <summary>ASCII unit separator: below every character a name may contain (names have no control characters).</summary>
    public const char Separator = '\u001f';

    private const string Sep = "\u001f";

    /// <summary>The character right after <see cref="Separator"/>: a key ending in it is above every key with the same prefix.</summary>
    private const string AfterSep = "\u0020";

    public static string Reading(string deviceId, DateTime utcTime) => ReadingAt(deviceId, utcTime) + Sep + ObjectId.NewObjectId();

    /// <summary>The lowest key a reading of the device at <paramref name="utcTime"/> or later can have.</summary>
    public static string ReadingAt(string deviceId, DateTime utcTime) =>
        deviceId + Sep + utcTime.Ticks.ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>A key above every reading of the device at <paramref name="utcTime"/> and below every later one.</summary>
    public static string ReadingAfter(string deviceId, DateTime utcTime) => ReadingAt(deviceId, utcTime) + AfterSep;

    public static string Stream(string sourceId, string stream) => sourceId + Sep + stream;

    /// <summary>An event's key, <c>device␟ticks␟source␟seq</c>: one device's events in time order are one index range.</summary>
    public static string Event(string deviceId, DateTime utcTime, string sourceId, long seq) =>
        EventAt(deviceId, utcTime) + Sep + sourceId + Sep + seq.ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>The lowest key an event of the device at <paramref name="utcTime"/> or later can have.</summary>
    public static string EventAt(string deviceId, DateTime utcTime) =>
        deviceId + Sep + utcTime.Ticks.ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>A key above every event of the device at <paramref name="utcTime"/> and below every later one.</summary>
    public static string EventAfter(string deviceId, DateTime utcTime) => EventAt(deviceId, utcTime) + AfterSep;

    /// <summary>Refuses a name that would make keys ambiguous; validation upstream never lets one through.</summary>
    public static void RequireName(string? value, string paramName)
    {
        ArgumentException.ThrowIfNullOrEmpty(value, paramName);
        if (value.Contains(Separator, StringComparison.Ordinal))
            throw new ArgumentException($"A name stored as a key must not contain U+001F; got '{value}'.", paramName);
    }
}
