using CivicEdge.Fleet.Core.Ota;
using CivicEdge.Fleet.Storage.LiteDb.Tests.Contract;

namespace CivicEdge.Fleet.Storage.LiteDb.Tests;

[TestFixture]
[Category("Integration")]
public sealed class LiteDbCampaignStoreContractTests : CampaignStoreContractTests
{
    private readonly TempStore _temp = new();

    protected override Task<ICampaignStore> OpenEmptyStoreAsync() => Task.FromResult<ICampaignStore>(_temp.Open());

    protected override Task CloseStoreAsync(ICampaignStore store) => _temp.CloseAsync();
}
