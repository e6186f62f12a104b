using CivicEdge.Fleet.Core.Ledger;
using CivicEdge.Fleet.Storage.LiteDb.Tests.Contract;
using CivicEdge.Fleet.Storage.PostgreSql.Ledger;
using Microsoft.Extensions.Logging.Abstractions;

namespace CivicEdge.Fleet.Storage.PostgreSql.Tests;

[TestFixture]
[Category("Integration")]
public sealed class PostgreSqlDeviceLedgerStoreContractTests : DeviceLedgerStoreContractTests
{
    private FixtureDatabase _database = null!;
    private string? _schema;

    [OneTimeSetUp]
    public async Task CreateDatabase() => _database = await FixtureDatabase.CreateAsync("ledger_contract");

    [OneTimeTearDown]
    public Task DropDatabase() => _database.DropAsync();

    protected override async Task<IDeviceLedgerStore> OpenEmptyStoreAsync()
    {
        var options = _database.NewSchema();
        _schema = options.Schema;

        // The fleet store's migrations create the ledger's tables, as at the fleet's start.
        await (await FixtureDatabase.OpenAsync(options)).DisposeAsync();
        return new PostgreSqlDeviceLedgerStore(options, NullLogger<PostgreSqlDeviceLedgerStore>.Instance);
    }

    protected override async Task CloseStoreAsync(IDeviceLedgerStore store)
    {
        await ((PostgreSqlDeviceLedgerStore)store).DisposeAsync();
        if (_schema is not null)
            await _database.DropSchemaAsync(_schema);
    }
}
