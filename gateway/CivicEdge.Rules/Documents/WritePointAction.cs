using CivicEdge.Rules.Language;

namespace CivicEdge.Rules.Documents;

/// <summary>Writes a writable point of a device (a relay coil, a dimming set-point) with the value of an expression.</summary>
public sealed record WritePointAction(string Device, string Point, ExpressionNode Value) : RuleAction;
