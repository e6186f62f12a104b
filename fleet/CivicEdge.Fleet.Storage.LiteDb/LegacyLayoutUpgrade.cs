using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Core;
using LiteDB;

namespace CivicEdge.Fleet.Storage.LiteDb;

/// <summary>
/// Brings a file written by the first layout (one document per sample in <c>samples</c>, one per point in
/// <c>latest</c>) to the current one (one document per reading; the current values in each device's document), so that an
/// upgraded fleet keeps every reading it held. Restartable: readings from an interrupted attempt are discarded and made
/// again, the old collections are dropped only once the new ones are complete, and the file's user version is set last.
/// </summary>
internal static class LegacyLayoutUpgrade
{
    private const string LegacySamples = "samples";
    private const string LegacyLatest = "latest";
    private const string Readings = "readings";
    private const string Devices = "devices";

    public static bool IsNeeded(LiteDatabase database) =>
        database.UserVersion < LiteDbFleetStore.Layout
        && (database.CollectionExists(LegacySamples) || database.CollectionExists(LegacyLatest));

    /// <summary>Rewrites the file; returns the number of readings it now holds.</summary>
    public static long Run(LiteDatabase database, int readingsPerTransaction)
    {
        database.DropCollection(Readings);

        // A record's points were separate samples with the same source, stream and sequence number.
        var readings = new Dictionary<(string Source, string Stream, long Seq, string Device), BsonDocument>();
        foreach (var sample in database.GetCollection(LegacySamples).FindAll())
        {
            var key = sample["_id"].AsString.Split(StoreKeys.Separator);
            var device = key[0];
            var time = sample["time"].AsDateTime;
            var id = (sample["source"].AsString, sample["stream"].AsString, sample["seq"].AsInt64, device);
            if (!readings.TryGetValue(id, out var reading))
            {
                readings[id] = reading = new BsonDocument
                {
                    ["_id"] = StoreKeys.Reading(device, time),
                    ["t"] = time,
                    ["src"] = id.Item1,
                    ["str"] = id.Item2,
                    ["seq"] = id.Item3,
                    ["pts"] = new BsonArray(),
                };
            }

            reading["pts"].AsArray.Add(Point(key[1], sample, withTime: false));
        }

        var collection = database.GetCollection(Readings);
        foreach (var slice in readings.Values.Chunk(readingsPerTransaction))
        {
            database.BeginTrans();
            collection.Insert(slice);
            database.Commit();
        }

        var devices = database.GetCollection(Devices);
        database.BeginTrans();
        foreach (var latest in database.GetCollection(LegacyLatest).FindAll().GroupBy(latest => latest["_id"].AsString.Split(StoreKeys.Separator)[0], StringComparer.Ordinal))
        {
            if (devices.FindById(latest.Key) is not { } device)
                continue;
            device["pts"] = new BsonArray(latest
                .Select(value => Point(value["point"].AsString, value, withTime: true))
                .OrderBy(point => point["n"].AsString, StringComparer.Ordinal));
            devices.Update(device);
        }

        database.Commit();
        database.DropCollection(LegacySamples);
        database.DropCollection(LegacyLatest);
        database.UserVersion = LiteDbFleetStore.Layout;
        return readings.Count;
    }

    private static BsonDocument Point(string name, BsonDocument legacy, bool withTime)
    {
        var point = new BsonDocument
        {
            ["n"] = name,
            ["v"] = legacy["value"].AsDouble,
            ["q"] = (int)QualityCodes.ToCode(Enum.Parse<Quality>(legacy["quality"].AsString)),
            ["u"] = legacy["unit"].AsString,
            ["k"] = legacy["quantity"],
        };
        if (withTime)
            point["t"] = legacy["time"].AsDateTime;
        return point;
    }
}
