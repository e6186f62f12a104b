using CivicEdge.Fleet.Core.Ota;
using CivicEdge.Fleet.Storage.LiteDb.Tests.Contract;

namespace CivicEdge.Fleet.Storage.PostgreSql.Tests;

[TestFixture]
[Category("Integration")]
public sealed class PostgreSqlCampaignStoreContractTests : CampaignStoreContractTests
{
    private FixtureDatabase _database = null!;
    private string? _schema;

    [OneTimeSetUp]
    public async Task CreateDatabase() => _database = await FixtureDatabase.CreateAsync("campaign_contract");

    [OneTimeTearDown]
    public Task DropDatabase() => _database.DropAsync();

    protected override async Task<ICampaignStore> OpenEmptyStoreAsync()
    {
        var options = _database.NewSchema();
        _schema = options.Schema;
        return await FixtureDatabase.OpenAsync(options);
    }

    protected override async Task CloseStoreAsync(ICampaignStore store)
    {
        await ((PostgreSqlFleetStore)store).DisposeAsync();
        if (_schema is not null)
            await _database.DropSchemaAsync(_schema);
    }
}
