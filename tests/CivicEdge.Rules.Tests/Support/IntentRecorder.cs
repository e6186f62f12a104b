using CivicEdge.Rules.Evaluation;

namespace CivicEdge.Rules.Tests.Support;

/// <summary>Keeps every intent the engine emits, in order.</summary>
internal sealed class IntentRecorder : IRuleIntentSink
{
    public List<RuleIntent> Intents { get; } = [];

    public IEnumerable<T> Of<T>() where T : RuleIntent => Intents.OfType<T>();

    public void Emit(RuleIntent intent) => Intents.Add(intent);
}
