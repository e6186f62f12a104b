using CivicEdge.Fleet.Core.Ota;
using CivicEdge.Fleet.Storage.LiteDb.Tests.Contract;

namespace CivicEdge.Fleet.Storage.PostgreSql.Tests;

[TestFixture]
[Category("Integration")]
public sealed class PostgreSqlOtaStatusStoreContractTests : OtaStatusStoreContractTests
{
    private FixtureDatabase _database = null!;
    private PostgreSqlFleetStoreOptions? _options;

    [OneTimeSetUp]
    public async Task CreateDatabase() => _database = await FixtureDatabase.CreateAsync("ota_status_contract");

    [OneTimeTearDown]
    public Task DropDatabase() => _database.DropAsync();

    protected override async Task<IOtaStatusStore> OpenEmptyStoreAsync()
    {
        _options = _database.NewSchema();
        return await FixtureDatabase.OpenAsync(_options);
    }

    protected override async Task<IOtaStatusStore> ReopenStoreAsync(IOtaStatusStore store)
    {
        await ((PostgreSqlFleetStore)store).DisposeAsync();
        return await FixtureDatabase.OpenAsync(_options!);
    }

    protected override async Task CloseStoreAsync(IOtaStatusStore store)
    {
        await ((PostgreSqlFleetStore)store).DisposeAsync();
        if (_options is not null)
            await _database.DropSchemaAsync(_options.Schema);
    }
}
