using System.Globalization;
using System.Text;

namespace CivicEdge.Rules.Evaluation;

/// <summary>A message template with its placeholders compiled; formatted only when an alarm or event is emitted.</summary>
internal sealed class CompiledMessage(IReadOnlyList<(string? Literal, string? Name, Func<EvaluationContext, double>? Value)> parts)
{
    public string Format(EvaluationContext context, string ruleId, string? deviceId)
    {
        var text = new StringBuilder();
        foreach (var (literal, name, value) in parts)
        {
            if (literal is not null)
                text.Append(literal);
            else if (name == "rule")
                text.Append(ruleId);
            else if (name == "device")
                text.Append(deviceId ?? "");
            else if (value is not null)
            {
                var v = value(context);
                text.Append(double.IsNaN(v) ? "unknown" : v.ToString("0.###", CultureInfo.InvariantCulture));
            }
        }
        return text.ToString();
    }
}
