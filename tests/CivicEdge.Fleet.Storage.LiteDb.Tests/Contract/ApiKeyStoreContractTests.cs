using CivicEdge.Fleet.Contracts.Access;
using CivicEdge.Fleet.Core.Access;

namespace CivicEdge.Fleet.Storage.LiteDb.Tests.Contract;

/// <summary>What every <see cref="IApiKeyStore"/> must do, whatever its engine; a fresh, empty store per test.</summary>
public abstract class ApiKeyStoreContractTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private IApiKeyStore? _store;

    protected IApiKeyStore Store => _store ?? throw new InvalidOperationException("The store is opened in SetUp.");

    protected abstract Task<IApiKeyStore> OpenEmptyStoreAsync();

    protected abstract Task CloseStoreAsync(IApiKeyStore store);

    [SetUp]
    public async Task OpenStore() => _store = await OpenEmptyStoreAsync();

    [TearDown]
    public async Task CloseStore()
    {
        if (_store is not null)
            await CloseStoreAsync(_store);
        _store = null;
    }

    [Test]
    public async Task A_key_reads_back_with_every_field_as_added()
    {
        var key = Key("aaaaaaaaaa") with { ExpiresAt = T0.AddDays(30), Tenants = ["water", "gas"] };

        Assert.That(await Store.AddKeyAsync(key, CancellationToken.None), Is.True);
        var read = await Store.FindKeyAsync("aaaaaaaaaa", CancellationToken.None);

        Assert.That(read! with { Tenants = [] }, Is.EqualTo(key with { Tenants = [] }));
        Assert.That(read.Tenants, Is.EqualTo(new[] { "water", "gas" }));
    }

    [Test]
    public async Task A_second_key_with_the_same_id_is_refused_and_the_first_stays()
    {
        await Store.AddKeyAsync(Key("aaaaaaaaaa"), CancellationToken.None);

        var added = await Store.AddKeyAsync(Key("aaaaaaaaaa") with { Name = "intruder", SecretHash = new string('f', 64) }, CancellationToken.None);

        Assert.That(added, Is.False);
        Assert.That((await Store.FindKeyAsync("aaaaaaaaaa", CancellationToken.None))!.Name, Is.EqualTo("dispatch"));
    }

    [Test]
    public async Task An_unknown_or_empty_id_finds_nothing()
    {
        Assert.That(await Store.FindKeyAsync("zzzzzzzzzz", CancellationToken.None), Is.Null);
        Assert.That(await Store.FindKeyAsync("", CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task Keys_are_listed_by_creation_time_then_id_revoked_ones_included()
    {
        await Store.AddKeyAsync(Key("cccccccccc") with { CreatedAt = T0.AddHours(1) }, CancellationToken.None);
        await Store.AddKeyAsync(Key("bbbbbbbbbb"), CancellationToken.None);
        await Store.AddKeyAsync(Key("aaaaaaaaaa"), CancellationToken.None);
        await Store.RevokeKeyAsync("bbbbbbbbbb", T0.AddHours(2), CancellationToken.None);

        var listed = await Store.ListKeysAsync(CancellationToken.None);

        Assert.That(listed.Select(k => k.Id), Is.EqualTo(new[] { "aaaaaaaaaa", "bbbbbbbbbb", "cccccccccc" }));
    }

    [Test]
    public async Task A_revocation_stands_from_the_first_time_and_a_second_one_changes_nothing()
    {
        await Store.AddKeyAsync(Key("aaaaaaaaaa"), CancellationToken.None);

        Assert.That(await Store.RevokeKeyAsync("aaaaaaaaaa", T0.AddHours(1), CancellationToken.None), Is.True);
        Assert.That(await Store.RevokeKeyAsync("aaaaaaaaaa", T0.AddHours(2), CancellationToken.None), Is.False);
        Assert.That(await Store.RevokeKeyAsync("nosuchkey0", T0.AddHours(2), CancellationToken.None), Is.False);
        Assert.That((await Store.FindKeyAsync("aaaaaaaaaa", CancellationToken.None))!.RevokedAt, Is.EqualTo(T0.AddHours(1)));
    }

    [Test]
    public async Task The_last_use_only_moves_forward()
    {
        await Store.AddKeyAsync(Key("aaaaaaaaaa"), CancellationToken.None);

        await Store.RecordKeyUseAsync("aaaaaaaaaa", T0.AddMinutes(5), CancellationToken.None);
        await Store.RecordKeyUseAsync("aaaaaaaaaa", T0.AddMinutes(3), CancellationToken.None);
        await Store.RecordKeyUseAsync("nosuchkey0", T0.AddMinutes(9), CancellationToken.None);

        Assert.That((await Store.FindKeyAsync("aaaaaaaaaa", CancellationToken.None))!.LastUsedAt, Is.EqualTo(T0.AddMinutes(5)));
    }

    private static ApiKey Key(string id) => new(
        id, new string('a', 64), "dispatch", FleetRole.Operator, ["water"], false, T0, "key:bootstrap", null, null, null);
}
