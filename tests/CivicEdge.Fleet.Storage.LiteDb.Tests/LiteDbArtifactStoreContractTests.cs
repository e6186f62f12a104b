using CivicEdge.Fleet.Core.Ota;
using CivicEdge.Fleet.Storage.LiteDb.Tests.Contract;

namespace CivicEdge.Fleet.Storage.LiteDb.Tests;

[TestFixture]
[Category("Integration")]
public sealed class LiteDbArtifactStoreContractTests : ArtifactStoreContractTests
{
    private readonly TempStore _temp = new();

    protected override Task<IArtifactStore> OpenEmptyStoreAsync() => Task.FromResult<IArtifactStore>(_temp.Open());

    protected override Task CloseStoreAsync(IArtifactStore store) => _temp.CloseAsync();
}
