using CivicEdge.Protocols.MBus;

namespace CivicEdge.Hardware;

/// <summary>
/// Which data record of an M-Bus readout a point takes its value from (EN 13757-3 §6): the quantity its VIF names, its
/// storage number (0 is the current value, 1.. stored ones such as the due-date value), tariff, function and subunit.
/// A heat meter sends the same quantity several times (current energy, energy at the due date, per tariff), so all
/// five have to agree.
/// </summary>
/// <param name="Quantity">The quantity as EN 13757-3 Table 10 and Table 14 name it, e.g. <c>Energy</c>, <c>Flow temperature</c>.</param>
/// <param name="StorageNumber">The storage number.</param>
/// <param name="Tariff">The tariff; 0 for the total.</param>
/// <param name="Function">Instantaneous, maximum, minimum or value during error.</param>
/// <param name="Subunit">The device unit (subunit) of a meter with several, else 0.</param>
public sealed record MbusRecordSelector(string Quantity, long StorageNumber, int Tariff, MbusFunction Function, int Subunit)
{
    /// <summary>True when <paramref name="record"/> is the one this selects.</summary>
    public bool Matches(MbusDataRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return string.Equals(record.Quantity, Quantity, StringComparison.OrdinalIgnoreCase)
            && record.StorageNumber == StorageNumber
            && record.Tariff == Tariff
            && record.Function == Function
            && record.Subunit == Subunit;
    }

    public override string ToString() =>
        $"{Quantity} (storage {StorageNumber}, tariff {Tariff}, {Function}{(Subunit == 0 ? "" : $", subunit {Subunit}")})";
}
