using CivicEdge.Solar;

namespace CivicEdge.Rules.Documents;

/// <summary>Evaluated at sunrise, sunset, civil dawn or dusk at the gateway's location, shifted by an offset.</summary>
public sealed record SunTrigger(SunEvent Event, TimeSpan Offset) : RuleTrigger;
