using System.Collections.Frozen;
using CivicEdge.Fleet.Contracts.Ledger;

namespace CivicEdge.Fleet.Core.Ledger.Codes;

/// <summary>
/// The fleet's default code scheme, in the shape provincial IoT facility coding specifications take: 17 characters,
/// <c>DDDDDD KK SSSSSSSS C</c> written without spaces —
/// <list type="bullet">
/// <item>DDDDDD: the administrative division where the device is deployed, a GB/T 2260 code (province, city, county),
/// whose first two digits must be a province-level code;</item>
/// <item>KK: the device class (<see cref="DeviceClassCodes"/>), which must agree with the registered kind;</item>
/// <item>SSSSSSSS: a serial of digits and capital letters, unique within division and class;</item>
/// <item>C: an ISO/IEC 7064 MOD 37,36 check character over the first 16.</item>
/// </list>
/// Example: <c>410102GW00000001E</c> (<see cref="Compose"/> computes the check character).
/// </summary>
public sealed class ProvinceDeviceCodeScheme : IDeviceCodeScheme
{
    public const string SchemeName = "province";
    public const int Length = 17;

    /// <summary>GB/T 2260 province-level codes: the first two digits of every division code.</summary>
    private static readonly FrozenSet<string> Provinces = new[]
    {
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
        "71", "81", "82",
    }.ToFrozenSet(StringComparer.Ordinal);

    public string Name => SchemeName;

    public string Describe() =>
        $"{Length} characters: a 6-digit GB/T 2260 division code, a 2-letter device class ({DeviceClassCodes.List()}), "
        + $"an 8-character serial of digits and capital letters, and an ISO/IEC 7064 MOD 37,36 check character, e.g. {Example}";

    /// <summary>A valid code, for messages.</summary>
    public static string Example => Compose("410102", DeviceKind.Gateway, "00000001");

    /// <summary>The full code of a device: division, class of <paramref name="kind"/>, serial and check character.</summary>
    /// <exception cref="ArgumentException">A part does not have the scheme's shape.</exception>
    public static string Compose(string division, DeviceKind kind, string serial)
    {
        ArgumentNullException.ThrowIfNull(division);
        ArgumentNullException.ThrowIfNull(serial);
        if (division.Length != 6 || !division.All(char.IsAsciiDigit))
            throw new ArgumentException($"Expected a 6-digit division code, got '{division}'.", nameof(division));
        if (serial.Length != 8 || !serial.All(IsSerialCharacter))
            throw new ArgumentException($"Expected an 8-character serial of digits and capital letters, got '{serial}'.", nameof(serial));

        var payload = division + DeviceClassCodes.Of(kind) + serial;
        return payload + Iso7064CheckCharacter.Mod37Of36(payload);
    }

    public string? Check(string code, DeviceKind kind)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (code.Length != Length)
            return $"expected {Length} characters (division, class, serial, check character, e.g. {Example}), found {code.Length} in '{code}'";

        var division = code[..6];
        if (!division.All(char.IsAsciiDigit))
            return $"characters 1–6: expected a GB/T 2260 division code of 6 digits, found '{division}'";
        if (!Provinces.Contains(division[..2]))
            return $"characters 1–2: expected a GB/T 2260 province code (11–15, 21–23, 31–37, 41–46, 50–54, 61–65, 71, 81, 82), found '{division[..2]}'";

        var classCode = code[6..8];
        if (!DeviceClassCodes.TryGetKind(classCode, out var codeKind))
            return $"characters 7–8: expected a device class ({DeviceClassCodes.List()}), found '{classCode}'";
        if (codeKind != kind)
        {
            return $"characters 7–8: the class '{classCode}' means {LedgerNames.Of(codeKind)}, but the device is registered as "
                + $"{LedgerNames.Of(kind)} (class '{DeviceClassCodes.Of(kind)}')";
        }

        var serial = code[8..16];
        if (!serial.All(IsSerialCharacter))
            return $"characters 9–16: expected a serial of digits and capital letters, found '{serial}'";

        var expected = Iso7064CheckCharacter.Mod37Of36(code.AsSpan(0, 16));
        return code[16] == expected
            ? null
            : $"character 17: expected the check character '{expected}' (ISO/IEC 7064 MOD 37,36 of {code[..16]}), found '{code[16]}'";
    }

    private static bool IsSerialCharacter(char character) => char.IsAsciiDigit(character) || char.IsAsciiLetterUpper(character);
}
