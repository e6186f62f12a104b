using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Ledger;

namespace CivicEdge.Fleet.Core.Ledger.Codes;

/// <summary>
/// The permissive scheme, for labs and for cities that have no coding specification yet: any code that is safe as one
/// MQTT topic level, as a Mosquitto user name and as a store key — 1 to 128 printable characters without white space,
/// '/', '+', '#' or ':' and not starting with '$'.
/// </summary>
public sealed class TopicLevelDeviceCodeScheme : IDeviceCodeScheme
{
    public const string SchemeName = "topic-level";
    public const int MaxLength = 128;

    public string Name => SchemeName;

    public string Describe() =>
        $"1 to {MaxLength} printable characters without white space, '/', '+', '#' or ':', not starting with '$', e.g. gw-north-07";

    public string? Check(string code, DeviceKind kind)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (code.Length is 0 or > MaxLength)
            return $"expected 1 to {MaxLength} characters, found {code.Length}";

        // '$' starts the broker's own topics (MQTT 5.0 §4.7.2); ':' separates user and hash in Mosquitto's password file.
        if (code[0] == '$')
            return $"expected a code not starting with '$' (reserved for broker topics), found '{code}'";

        for (var i = 0; i < code.Length; i++)
        {
            var character = code[i];
            if (char.IsControl(character) || char.IsWhiteSpace(character) || character == ':' || !Topics.IsValidSegment(character.ToString()))
                return $"character {i + 1}: expected no white space, control character, '/', '+', '#' or ':', found U+{(int)character:X4} in '{code}'";
        }

        return null;
    }
}
