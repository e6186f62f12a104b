using CivicEdge.Fleet.Core.Alarms;
using CivicEdge.Fleet.Storage.LiteDb.Tests.Contract;
using Microsoft.Extensions.Logging.Abstractions;

namespace CivicEdge.Fleet.Storage.LiteDb.Tests;

[TestFixture]
[Category("Integration")]
public sealed class LiteDbAlarmStoreContractTests : AlarmStoreContractTests
{
    private readonly TempStore _temp = new();

    protected override Task<IAlarmStore> OpenEmptyStoreAsync() => Task.FromResult<IAlarmStore>(_temp.Open());

    protected override Task CloseStoreAsync(IAlarmStore store) => _temp.CloseAsync();

    [Test]
    public async Task Numbering_and_open_alarms_go_on_after_the_file_is_reopened()
    {
        await Store.TryAddAlarmAsync(Alarm("mtr-1"), CancellationToken.None);
        await Store.TryAddAlarmAsync(Alarm("mtr-2"), CancellationToken.None);
        _temp.Store!.Dispose();

        using var reopened = new LiteDbFleetStore(_temp.Options, NullLogger<LiteDbFleetStore>.Instance);
        var repeat = await reopened.TryAddAlarmAsync(Alarm("mtr-1"), CancellationToken.None);
        var next = await reopened.TryAddAlarmAsync(Alarm("mtr-3"), CancellationToken.None);

        Assert.That(repeat, Is.Null);
        Assert.That(next!.Id, Is.EqualTo(3));
    }

    private static Contracts.Alarms.Alarm Alarm(string device) => new(
        0, device, "comm_lost", Contracts.EventSeverity.Major, Contracts.Alarms.AlarmSource.Device, "no answer",
        Contracts.Alarms.AlarmState.Raised, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 1, null, null, null, [], 1);
}
