using CivicEdge.Hardware;

namespace CivicEdge.Rules.Documents;

/// <summary>
/// The points of the hardware profiles, plus the inputs the gateway reads from its own pins: a door contact is the model
/// <see cref="DoorContactModel"/> with the point <c>door_open</c> (0 closed, 1 open), as the gateway's <c>Gpio:Doors</c>
/// report it.
/// </summary>
public sealed class ProfilePointCatalog : IPointCatalog
{
    /// <summary>The model of a door contact on one of the gateway's own inputs.</summary>
    public const string DoorContactModel = "gpio-door";

    private readonly Dictionary<string, IReadOnlyList<CatalogPoint>> _models = new(StringComparer.OrdinalIgnoreCase);

    public ProfilePointCatalog(ProfileCatalog profiles)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        foreach (var profile in profiles.Profiles)
            _models[profile.Model] = [.. profile.Points.Select(p => new CatalogPoint(p.Name, p.Writable, !p.IsText, p.Unit))];
        _models[DoorContactModel] = [new CatalogPoint("door_open", Writable: false, Numeric: true, "1")];
    }

    public IEnumerable<string> Models => _models.Keys.Order(StringComparer.Ordinal);

    public IReadOnlyList<CatalogPoint>? PointsOf(string model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return _models.GetValueOrDefault(model);
    }
}
