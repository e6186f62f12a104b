namespace CivicEdge.Rules.Evaluation;

/// <summary>Receives what the rules decide, in order, on the engine's thread.</summary>
public interface IRuleIntentSink
{
    void Emit(RuleIntent intent);
}
