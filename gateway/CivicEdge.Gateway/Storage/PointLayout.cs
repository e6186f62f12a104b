using System.Text;
using CivicEdge.Fleet.Contracts;

namespace CivicEdge.Gateway.Storage;

/// <summary>
/// What every reading of one device repeats: its id, model and the name, unit and quantity of each point in order.
/// Stored once, so that a stored reading is only its layout number, time, values and qualities.
/// </summary>
internal sealed record PointLayout(int Id, string DeviceId, string? Model, string[] Names, string[] Units, string?[] Quantities)
{
    private const char Separator = '\u001f';
    private const string Absent = "\u0000";

    /// <summary>The key two readings share exactly when they have the same layout.</summary>
    public static string KeyOf(string deviceId, string? model, IReadOnlyList<PointValue> points)
    {
        var key = Start(deviceId, model, points.Count);
        foreach (var point in points)
            Append(key, point.Name, point.Unit, point.Quantity);
        return key.ToString();
    }

    /// <summary>This layout's key, as <see cref="KeyOf"/> gives it for its readings.</summary>
    public string Key()
    {
        var key = Start(DeviceId, Model, Names.Length);
        for (var i = 0; i < Names.Length; i++)
            Append(key, Names[i], Units[i], Quantities[i]);
        return key.ToString();
    }

    private static StringBuilder Start(string deviceId, string? model, int points) =>
        new StringBuilder(deviceId.Length + 24 + points * 24).Append(deviceId).Append(Separator).Append(model ?? Absent);

    private static void Append(StringBuilder key, string name, string unit, string? quantity) =>
        key.Append(Separator).Append(name).Append(Separator).Append(unit).Append(Separator).Append(quantity ?? Absent);
}
