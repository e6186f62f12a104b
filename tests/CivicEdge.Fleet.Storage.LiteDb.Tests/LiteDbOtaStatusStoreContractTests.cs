using CivicEdge.Fleet.Core.Ota;
using CivicEdge.Fleet.Storage.LiteDb.Tests.Contract;

namespace CivicEdge.Fleet.Storage.LiteDb.Tests;

[TestFixture]
[Category("Integration")]
public sealed class LiteDbOtaStatusStoreContractTests : OtaStatusStoreContractTests
{
    private readonly TempStore _temp = new();

    protected override Task<IOtaStatusStore> OpenEmptyStoreAsync() => Task.FromResult<IOtaStatusStore>(_temp.Open());

    protected override Task<IOtaStatusStore> ReopenStoreAsync(IOtaStatusStore store) => Task.FromResult<IOtaStatusStore>(_temp.Reopen());

    protected override Task CloseStoreAsync(IOtaStatusStore store) => _temp.CloseAsync();
}
