using CivicEdge.Protocols.Modbus;

namespace CivicEdge.Modbus;

/// <summary>Collects the objects of the read device identification responses of one call, across "more follows" rounds.</summary>
internal sealed class DeviceIdentificationSink
{
    // 256 object ids at one object per response at worst; a device that keeps saying "more follows" beyond that loops.
    private const int MaxRounds = 256;

    public List<ModbusDeviceObject> Objects { get; } = [];

    /// <summary>The fixed fields of the latest response.</summary>
    public ModbusDeviceIdentification Last { get; set; }

    /// <summary>
    /// Reads device identification through <paramref name="transact"/>, asking again from the next object id while the
    /// device says more follows (§6.21, stream access). A specific object (code 4) is one round.
    /// </summary>
    public static async ValueTask<ModbusDeviceIdentificationResult> ReadAsync(
        Func<ModbusTransaction, CancellationToken, ValueTask<ModbusResult>> transact,
        byte unitId, ModbusReadDeviceIdCode code, byte objectId, CancellationToken cancellationToken)
    {
        var sink = new DeviceIdentificationSink();
        byte next = objectId;
        for (int round = 0; round < MaxRounds; round++)
        {
            var result = await transact(ModbusTransaction.ReadDeviceIdentification(unitId, code, next, sink), cancellationToken).ConfigureAwait(false);
            if (!result.IsOk)
                return new ModbusDeviceIdentificationResult(result, sink.Last.ConformityLevel, sink.Objects);
            if (code == ModbusReadDeviceIdCode.Specific || !sink.Last.MoreFollows)
                return new ModbusDeviceIdentificationResult(ModbusResult.Ok, sink.Last.ConformityLevel, sink.Objects);
            if (sink.Last.NextObjectId <= next)
            {
                return new ModbusDeviceIdentificationResult(
                    new ModbusResult(ModbusOutcome.Malformed, Detail: $"expected a next object id above {next} while more objects follow, found {sink.Last.NextObjectId}"),
                    sink.Last.ConformityLevel, sink.Objects);
            }

            next = sink.Last.NextObjectId;
        }

        return new ModbusDeviceIdentificationResult(
            new ModbusResult(ModbusOutcome.Malformed, Detail: $"the device still said more objects follow after {MaxRounds} responses"),
            sink.Last.ConformityLevel, sink.Objects);
    }
}
