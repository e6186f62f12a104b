namespace CivicEdge.Fleet.Core.Ota;

/// <summary>
/// A time of day, in the city's local time, when updates may start: <c>01:00–05:00</c>, or one that crosses midnight
/// such as <c>22:00–04:00</c>. An update already running is never cut off at the window's end.
/// </summary>
public sealed record MaintenanceWindow(TimeOnly Start, TimeOnly End)
{
    public bool Contains(TimeOnly time) => Start <= End
        ? time >= Start && time < End
        : time >= Start || time < End;

    public override string ToString() => $"{Start:HH\\:mm}-{End:HH\\:mm}";
}
