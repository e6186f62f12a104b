using CivicEdge.Fleet.Core.Access;
using CivicEdge.Fleet.Core.Audit;
using CivicEdge.Fleet.Storage.LiteDb.Tests.Contract;

namespace CivicEdge.Fleet.Storage.PostgreSql.Tests;

[TestFixture]
[Category("Integration")]
public sealed class PostgreSqlAuditStoreContractTests : AuditStoreContractTests
{
    private FixtureDatabase _database = null!;
    private PostgreSqlFleetStoreOptions? _options;

    [OneTimeSetUp]
    public async Task CreateDatabase() => _database = await FixtureDatabase.CreateAsync("audit_contract");

    [OneTimeTearDown]
    public Task DropDatabase() => _database.DropAsync();

    protected override async Task<IAuditStore> OpenEmptyStoreAsync()
    {
        _options = _database.NewSchema();
        return await FixtureDatabase.OpenAsync(_options);
    }

    protected override async Task CloseStoreAsync(IAuditStore store)
    {
        await ((PostgreSqlFleetStore)store).DisposeAsync();
        if (_options is not null)
            await _database.DropSchemaAsync(_options.Schema);
    }

    [Test]
    public async Task Numbering_goes_on_from_another_node_and_after_a_restart()
    {
        await Store.AppendAuditAsync(Entry(DateTimeOffset.UnixEpoch), CancellationToken.None);
        await using var otherNode = await FixtureDatabase.OpenAsync(_options!);
        await otherNode.AppendAuditAsync(Entry(DateTimeOffset.UnixEpoch), CancellationToken.None);

        var next = await Store.AppendAuditAsync(Entry(DateTimeOffset.UnixEpoch), CancellationToken.None);

        Assert.That(next.Sequence, Is.EqualTo(3));
    }

    [Test]
    public async Task Nodes_appending_at_once_number_every_entry_once_without_gaps()
    {
        await using var otherNode = await FixtureDatabase.OpenAsync(_options!);

        var appended = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            (i % 2 == 0 ? Store : otherNode).AppendAuditAsync(Entry(DateTimeOffset.UnixEpoch), CancellationToken.None)));

        Assert.That(appended.Select(entry => entry.Sequence).Order(), Is.EqualTo(Enumerable.Range(1, 20).Select(i => (long)i)));
    }
}

[TestFixture]
[Category("Integration")]
public sealed class PostgreSqlApiKeyStoreContractTests : ApiKeyStoreContractTests
{
    private FixtureDatabase _database = null!;
    private string? _schema;

    [OneTimeSetUp]
    public async Task CreateDatabase() => _database = await FixtureDatabase.CreateAsync("keys_contract");

    [OneTimeTearDown]
    public Task DropDatabase() => _database.DropAsync();

    protected override async Task<IApiKeyStore> OpenEmptyStoreAsync()
    {
        var options = _database.NewSchema();
        _schema = options.Schema;
        return await FixtureDatabase.OpenAsync(options);
    }

    protected override async Task CloseStoreAsync(IApiKeyStore store)
    {
        await ((PostgreSqlFleetStore)store).DisposeAsync();
        if (_schema is not null)
            await _database.DropSchemaAsync(_schema);
    }
}
