namespace CivicEdge.Fleet.Core.Ledger;

/// <summary>The location fields a change sets; null fields stay as they are.</summary>
public sealed record LocationChanges
{
    public FieldChange<double?>? Latitude { get; init; }

    public FieldChange<double?>? Longitude { get; init; }

    public FieldChange<string?>? Address { get; init; }

    public FieldChange<string?>? PoleNumber { get; init; }

    public FieldChange<string?>? District { get; init; }
}
