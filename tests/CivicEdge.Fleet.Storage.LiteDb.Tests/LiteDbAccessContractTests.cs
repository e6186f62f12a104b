using CivicEdge.Fleet.Core.Access;
using CivicEdge.Fleet.Core.Audit;
using CivicEdge.Fleet.Core.Commands;
using CivicEdge.Fleet.Storage.LiteDb.Tests.Contract;
using Microsoft.Extensions.Logging.Abstractions;

namespace CivicEdge.Fleet.Storage.LiteDb.Tests;

[TestFixture]
[Category("Integration")]
public sealed class LiteDbAuditStoreContractTests : AuditStoreContractTests
{
    private readonly TempStore _temp = new();

    protected override Task<IAuditStore> OpenEmptyStoreAsync() => Task.FromResult<IAuditStore>(_temp.Open());

    protected override Task CloseStoreAsync(IAuditStore store) => _temp.CloseAsync();

    [Test]
    public async Task Numbering_goes_on_after_the_file_is_reopened()
    {
        await Store.AppendAuditAsync(Entry(DateTimeOffset.UnixEpoch), CancellationToken.None);
        await Store.AppendAuditAsync(Entry(DateTimeOffset.UnixEpoch), CancellationToken.None);
        _temp.Store!.Dispose();

        using var reopened = new LiteDbFleetStore(_temp.Options, NullLogger<LiteDbFleetStore>.Instance);
        var next = await reopened.AppendAuditAsync(Entry(DateTimeOffset.UnixEpoch), CancellationToken.None);

        Assert.That(next.Sequence, Is.EqualTo(3));
    }
}

[TestFixture]
[Category("Integration")]
public sealed class LiteDbApiKeyStoreContractTests : ApiKeyStoreContractTests
{
    private readonly TempStore _temp = new();

    protected override Task<IApiKeyStore> OpenEmptyStoreAsync() => Task.FromResult<IApiKeyStore>(_temp.Open());

    protected override Task CloseStoreAsync(IApiKeyStore store) => _temp.CloseAsync();
}

[TestFixture]
[Category("Integration")]
public sealed class LiteDbCommandStoreContractTests : CommandStoreContractTests
{
    private readonly TempStore _temp = new();

    protected override Task<ICommandStore> OpenEmptyStoreAsync() => Task.FromResult<ICommandStore>(_temp.Open());

    protected override Task CloseStoreAsync(ICommandStore store) => _temp.CloseAsync();
}
