namespace CivicEdge.Firmware.Core.Json;

/// <summary>
/// One single JSON value (string, number, true/false or null): a configuration setting from the twin's desired state or
/// a command argument. Reused between messages, so a handler copies what it keeps.
/// </summary>
public sealed class ScalarValue
{
    public ScalarKind Kind { get; private set; }

    /// <summary>The text when <see cref="Kind"/> is <see cref="ScalarKind.String"/>; null otherwise.</summary>
    public string Text { get; private set; }

    /// <summary>The number when <see cref="Kind"/> is <see cref="ScalarKind.Number"/>.</summary>
    public double Number { get; private set; }

    /// <summary>The value when <see cref="Kind"/> is <see cref="ScalarKind.Boolean"/>.</summary>
    public bool Boolean { get; private set; }

    /// <summary>What the value is, for an error message: <c>the number 140</c>, <c>the string "on"</c>, <c>true</c>, <c>null</c>.</summary>
    public string Describe()
    {
        switch (Kind)
        {
            case ScalarKind.String:
                return "the string \"" + Text + "\"";
            case ScalarKind.Number:
                return "the number " + Number.ToString("G");
            case ScalarKind.Boolean:
                return Boolean ? "true" : "false";
            default:
                return "null";
        }
    }

    /// <summary>Takes the scalar the reader stands on; false when it stands on an object or array.</summary>
    internal bool TryRead(JsonReader reader)
    {
        Text = null;
        Number = 0;
        Boolean = false;
        switch (reader.Kind)
        {
            case JsonTokenKind.String:
                Kind = ScalarKind.String;
                Text = reader.GetString();
                return true;
            case JsonTokenKind.Number:
                double number;
                reader.TryGetDouble(out number);
                Kind = ScalarKind.Number;
                Number = number;
                return true;
            case JsonTokenKind.True:
            case JsonTokenKind.False:
                Kind = ScalarKind.Boolean;
                Boolean = reader.Kind == JsonTokenKind.True;
                return true;
            case JsonTokenKind.Null:
                Kind = ScalarKind.Null;
                return true;
            default:
                return false;
        }
    }

    internal void CopyFrom(ScalarValue other)
    {
        Kind = other.Kind;
        Text = other.Text;
        Number = other.Number;
        Boolean = other.Boolean;
    }
}
