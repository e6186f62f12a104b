using System.Text;
using CivicEdge.Rules.Language;

namespace CivicEdge.Rules.Documents;

/// <summary>
/// An alarm or event message with placeholders in braces: <c>{lamp.lamp_current}</c> or any other expression is
/// replaced by its value when the message is made; <c>{rule}</c> by the rule's id and <c>{device}</c> by the device's
/// code. <c>{{</c> and <c>}}</c> stand for braces.
/// </summary>
public sealed class MessageTemplate
{
    /// <summary>The placeholders that are names rather than expressions.</summary>
    public static readonly IReadOnlyList<string> Names = ["rule", "device"];

    private MessageTemplate(string text, IReadOnlyList<(string? Literal, string? Name, ExpressionNode? Expression)> parts)
    {
        Text = text;
        Parts = parts;
    }

    public string Text { get; }

    /// <summary>Literal text, a name placeholder, or an expression placeholder, in order.</summary>
    public IReadOnlyList<(string? Literal, string? Name, ExpressionNode? Expression)> Parts { get; }

    /// <summary>Parses and checks <paramref name="text"/>.</summary>
    /// <exception cref="ExpressionSyntaxException">A placeholder is unclosed or not a valid expression; positions are in the template.</exception>
    public static MessageTemplate Parse(string text, IExpressionScope scope)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(scope);
        var parts = new List<(string?, string?, ExpressionNode?)>();
        var literal = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if ((c == '{' || c == '}') && i + 1 < text.Length && text[i + 1] == c)
            {
                literal.Append(c);
                i++;
                continue;
            }
            if (c == '}')
                throw new ExpressionSyntaxException(new SourcePosition(1, i + 1), "expected '}}' for a literal brace; found a lone '}'");
            if (c != '{')
            {
                literal.Append(c);
                continue;
            }
            var close = text.IndexOf('}', i + 1);
            if (close < 0)
                throw new ExpressionSyntaxException(new SourcePosition(1, i + 1), "expected '}' to close the placeholder that starts here; found the end of the message");
            if (literal.Length > 0)
            {
                parts.Add((literal.ToString(), null, null));
                literal.Clear();
            }
            var inner = text[(i + 1)..close];
            var name = inner.Trim();
            if (Names.Contains(name))
            {
                parts.Add((null, name, null));
            }
            else
            {
                try
                {
                    var node = ExpressionParser.Parse(inner);
                    ExpressionTypes.CheckValue(node, scope);
                    parts.Add((null, null, node));
                }
                catch (ExpressionSyntaxException e)
                {
                    throw new ExpressionSyntaxException(new SourcePosition(1, i + 1 + e.Position.Column), $"placeholder {{{inner}}}: {e.Reason}");
                }
            }
            i = close;
        }
        if (literal.Length > 0)
            parts.Add((literal.ToString(), null, null));
        return new MessageTemplate(text, parts);
    }

    public override string ToString() => Text;
}
