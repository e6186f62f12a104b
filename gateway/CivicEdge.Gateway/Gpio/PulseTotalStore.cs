using CivicEdge.Gateway.Storage;
using LiteDB;

namespace CivicEdge.Gateway.Gpio;

/// <summary>
/// Pulse totals in the gateway database, one document per counted register. A total is stored whole, never as an
/// increment, so replaying or repeating a commit after a crash cannot count a pulse twice.
/// </summary>
/// <param name="database">The gateway's database.</param>
public sealed class PulseTotalStore(GatewayDatabase database)
{
    private const string Collection = "gpio_pulse_totals";
    private const string PulsesField = "pulses";
    private const string MillilitresField = "ml";
    private const string UpdatedField = "at";

    /// <summary>The persisted total of <paramref name="key"/>, or null if it has never been committed.</summary>
    public PulseTotal? Load(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return database.Read(db => db.GetCollection(Collection).FindById(key) is { } document
            ? new PulseTotal(
                key,
                document[PulsesField].AsInt64,
                document[MillilitresField].AsInt64,
                new DateTimeOffset(DateTime.SpecifyKind(document[UpdatedField].AsDateTime, DateTimeKind.Utc)))
            : null);
    }

    /// <summary>Commits <paramref name="totals"/> in one transaction (one fsync): when this returns they are durable.</summary>
    public void Save(IReadOnlyCollection<PulseTotal> totals)
    {
        ArgumentNullException.ThrowIfNull(totals);
        if (totals.Count == 0)
            return;
        database.Write(db =>
        {
            var collection = db.GetCollection(Collection);
            foreach (var total in totals)
            {
                collection.Upsert(new BsonDocument
                {
                    ["_id"] = total.Key,
                    [PulsesField] = total.Pulses,
                    [MillilitresField] = total.Millilitres,
                    [UpdatedField] = total.UpdatedAt.UtcDateTime,
                });
            }

            return totals.Count;
        });
    }
}
