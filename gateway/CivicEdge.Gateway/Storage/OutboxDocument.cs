using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Acquisition;
using LiteDB;

namespace CivicEdge.Gateway.Storage;

/// <summary>
/// The BSON shape of an outbox record. Written by hand rather than through the mapper so that the stored layout is
/// fixed here and does not move with the contract records. BSON dates hold milliseconds, so timestamps come back
/// truncated to the millisecond.
/// </summary>
internal static class OutboxDocument
{
    public const string Id = "_id";
    private const string Device = "device";
    private const string Model = "model";
    private const string Timestamp = "ts";
    private const string Points = "points";
    private const string Name = "name";
    private const string Value = "value";
    private const string Unit = "unit";
    private const string Quantity = "quantity";
    private const string Quality = "quality";

    public static BsonDocument From(long seq, DeviceReading reading)
    {
        var points = new BsonArray();
        foreach (var point in reading.Points)
        {
            points.Add(new BsonDocument
            {
                [Name] = point.Name,
                [Value] = point.Value,
                [Unit] = point.Unit,
                [Quantity] = point.Quantity is null ? BsonValue.Null : new BsonValue(point.Quantity),
                [Quality] = point.Quality.ToString(),
            });
        }

        return new BsonDocument
        {
            [Id] = seq,
            [Device] = reading.DeviceId,
            [Model] = reading.Model is null ? BsonValue.Null : new BsonValue(reading.Model),
            [Timestamp] = reading.Timestamp.UtcDateTime,
            [Points] = points,
        };
    }

    public static TelemetryRecord ToRecord(BsonDocument document)
    {
        var points = new List<PointValue>();
        foreach (var item in document[Points].AsArray)
        {
            var point = item.AsDocument;
            points.Add(new PointValue(
                point[Name].AsString,
                point[Value].AsDouble,
                point[Unit].AsString,
                point[Quantity].IsNull ? null : point[Quantity].AsString,
                Enum.Parse<Quality>(point[Quality].AsString)));
        }

        return new TelemetryRecord(
            document[Id].AsInt64,
            document[Device].AsString,
            document[Model].IsNull ? null : document[Model].AsString,
            ToUtc(document[Timestamp].AsDateTime),
            points);
    }

    public static DateTimeOffset ToUtc(DateTime value) =>
        new(DateTime.SpecifyKind(value.ToUniversalTime(), DateTimeKind.Utc));
}
