using System.Collections.Frozen;
using CivicEdge.Fleet.Contracts.Ledger;

namespace CivicEdge.Fleet.Core.Ledger.Codes;

/// <summary>The two-letter device class of the province scheme, one per <see cref="DeviceKind"/>.</summary>
public static class DeviceClassCodes
{
    private static readonly FrozenDictionary<DeviceKind, string> ByKind = new Dictionary<DeviceKind, string>
    {
        [DeviceKind.Gateway] = "GW",
        [DeviceKind.PoleController] = "PC",
        [DeviceKind.Lamp] = "LP",
        [DeviceKind.EnergyMeter] = "EM",
        [DeviceKind.WaterMeter] = "WM",
        [DeviceKind.GasMeter] = "GM",
        [DeviceKind.HeatMeter] = "HM",
        [DeviceKind.EnvironmentStation] = "ES",
        [DeviceKind.Sensor] = "SN",
        [DeviceKind.Actuator] = "AC",
        [DeviceKind.Other] = "OT",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, DeviceKind> ByCode =
        ByKind.ToFrozenDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);

    public static string Of(DeviceKind kind) => ByKind[kind];

    public static bool TryGetKind(string classCode, out DeviceKind kind) => ByCode.TryGetValue(classCode, out kind);

    /// <summary>Every class code with its kind, for help texts: <c>GW gateway, PC poleController, …</c>.</summary>
    public static string List() =>
        string.Join(", ", ByKind.OrderBy(pair => pair.Key).Select(pair => $"{pair.Value} {LedgerNames.Of(pair.Key)}"));
}
