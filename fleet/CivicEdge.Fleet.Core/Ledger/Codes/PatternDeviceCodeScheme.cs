using System.Text.RegularExpressions;
using CivicEdge.Fleet.Contracts.Ledger;

namespace CivicEdge.Fleet.Core.Ledger.Codes;

/// <summary>
/// A scheme configured without code: a regular expression the whole code must match (<c>Fleet:Ledger:CodePattern</c>)
/// and, optionally, an ISO/IEC 7064 check character as its last character (<c>Fleet:Ledger:CodeCheckCharacter</c>:
/// <c>mod37-36</c> for digits and capital letters, <c>mod11-10</c> for digits). Codes must also be safe topic levels.
/// </summary>
public sealed class PatternDeviceCodeScheme : IDeviceCodeScheme
{
    public const string SchemeName = "pattern";
    public const string NoCheck = "none";
    public const string Mod37Of36 = "mod37-36";
    public const string Mod11Of10 = "mod11-10";

    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    private readonly Regex _pattern;
    private readonly string _patternText;
    private readonly string _checkCharacter;
    private readonly TopicLevelDeviceCodeScheme _safety = new();

    /// <exception cref="ArgumentException">The pattern is not a valid regular expression, or the check is unknown.</exception>
    public PatternDeviceCodeScheme(string pattern, string checkCharacter)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        ArgumentNullException.ThrowIfNull(checkCharacter);
        if (checkCharacter is not (NoCheck or Mod37Of36 or Mod11Of10))
            throw new ArgumentException($"Expected {NoCheck}, {Mod37Of36} or {Mod11Of10}, got '{checkCharacter}'.", nameof(checkCharacter));

        _patternText = pattern;
        _pattern = new Regex($"^(?:{pattern})$", RegexOptions.CultureInvariant, MatchTimeout);
        _checkCharacter = checkCharacter;
    }

    public string Name => SchemeName;

    public string Describe() =>
        _checkCharacter == NoCheck
            ? $"a code matching the pattern {_patternText}"
            : $"a code matching the pattern {_patternText} whose last character is its ISO/IEC 7064 {_checkCharacter} check character";

    public string? Check(string code, DeviceKind kind)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (_safety.Check(code, kind) is { } unsafeCode)
            return unsafeCode;

        try
        {
            if (!_pattern.IsMatch(code))
                return $"expected a code matching {_patternText}, found '{code}'";
        }
        catch (RegexMatchTimeoutException)
        {
            return $"expected a code matching {_patternText}; '{code}' took too long to check";
        }

        if (_checkCharacter == NoCheck)
            return null;

        var payload = code.AsSpan(0, code.Length - 1);
        var expected = _checkCharacter == Mod37Of36 ? Iso7064CheckCharacter.Mod37Of36(payload) : Iso7064CheckCharacter.Mod11Of10(payload);
        if (expected is null)
            return $"expected only {(_checkCharacter == Mod37Of36 ? "digits and capital letters" : "digits")} before the check character, found '{payload}'";
        return code[^1] == expected
            ? null
            : $"last character: expected the check character '{expected}' (ISO/IEC 7064 {_checkCharacter} of {payload}), found '{code[^1]}'";
    }
}
