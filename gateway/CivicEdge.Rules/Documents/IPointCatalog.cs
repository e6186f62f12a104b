namespace CivicEdge.Rules.Documents;

/// <summary>The device models a rule set may name and their points; the caller supplies it (the gateway's profiles).</summary>
public interface IPointCatalog
{
    /// <summary>The points of <paramref name="model"/>, or null when the model is unknown.</summary>
    IReadOnlyList<CatalogPoint>? PointsOf(string model);

    /// <summary>The models there are, for error messages.</summary>
    IEnumerable<string> Models { get; }
}
