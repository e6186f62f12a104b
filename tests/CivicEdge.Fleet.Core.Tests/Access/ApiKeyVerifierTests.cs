using CivicEdge.Fleet.Contracts.Access;
using CivicEdge.Fleet.Core.Access;
using Microsoft.Extensions.Time.Testing;

namespace CivicEdge.Fleet.Core.Tests.Access;

[Category("Unit")]
public sealed class ApiKeyVerifierTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private FakeTimeProvider _time = null!;
    private KeyTable _store = null!;
    private ApiKeyToken _token = null!;
    private ApiKeyVerifier _verifier = null!;

    [SetUp]
    public void AddAKey()
    {
        _time = new FakeTimeProvider(T0);
        _store = new KeyTable();
        _token = ApiKeyToken.New();
        _store.Keys[_token.Id] = new ApiKey(_token.Id, _token.HashSecret(), "dispatch", FleetRole.Operator, ["water"], false, T0, "test", T0.AddDays(1), null, null);
        _verifier = new ApiKeyVerifier(_store, _time);
    }

    [Test]
    public async Task A_good_key_is_accepted_as_its_caller()
    {
        var check = await _verifier.CheckAsync(_token.ToString(), CancellationToken.None);

        Assert.That(check.Accepted, Is.True);
        var caller = check.Key!.ToCaller();
        Assert.That((caller.Name, caller.Role, caller.Scope.ToString(), caller.Method), Is.EqualTo(($"key:{_token.Id} (dispatch)", FleetRole.Operator, "water", "api-key")));
    }

    [Test]
    public async Task Use_is_written_at_the_first_request_and_then_at_most_once_a_minute()
    {
        await _verifier.CheckAsync(_token.ToString(), CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(59));
        await _verifier.CheckAsync(_token.ToString(), CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(1));
        await _verifier.CheckAsync(_token.ToString(), CancellationToken.None);

        Assert.That(_store.UsesRecorded, Is.EqualTo(new[] { T0, T0.AddMinutes(1) }));
    }

    [Test]
    public async Task A_key_is_refused_from_the_instant_it_expires()
    {
        _time.Advance(TimeSpan.FromDays(1) - TimeSpan.FromTicks(1));
        var before = await _verifier.CheckAsync(_token.ToString(), CancellationToken.None);
        _time.Advance(TimeSpan.FromTicks(1));
        var at = await _verifier.CheckAsync(_token.ToString(), CancellationToken.None);

        Assert.That((before.Accepted, at.Accepted), Is.EqualTo((true, false)));
        Assert.That(at.Problem, Does.Contain("expired at 2026-11-23T10:00:00"));
        Assert.That(at.Key, Is.Not.Null, "the refusal knows whose key it was, for the audit log");
    }

    [Test]
    public async Task A_revoked_key_is_refused_saying_when()
    {
        _store.Keys[_token.Id] = _store.Keys[_token.Id] with { RevokedAt = T0 };

        var check = await _verifier.CheckAsync(_token.ToString(), CancellationToken.None);

        Assert.That(check.Accepted, Is.False);
        Assert.That(check.Problem, Does.Contain("revoked at 2026-11-22T10:00:00"));
    }

    [Test]
    public async Task A_wrong_secret_and_an_unknown_id_are_refused_in_the_same_words_and_name_no_stored_key()
    {
        var wrongSecret = await _verifier.CheckAsync($"ce_{_token.Id}_{new string('A', 43)}", CancellationToken.None);
        var unknown = await _verifier.CheckAsync($"ce_zzzzzzzzzz_{new string('A', 43)}", CancellationToken.None);

        Assert.That(wrongSecret.Problem!.Replace(_token.Id, "<id>", StringComparison.Ordinal), Is.EqualTo(unknown.Problem!.Replace("zzzzzzzzzz", "<id>", StringComparison.Ordinal)));
        Assert.That((wrongSecret.Key, unknown.Key), Is.EqualTo(((ApiKey?)null, (ApiKey?)null)));
        Assert.That(_store.UsesRecorded, Is.Empty);
    }

    /// <summary>API keys in a dictionary, noting each recorded use.</summary>
    private sealed class KeyTable : IApiKeyStore
    {
        public Dictionary<string, ApiKey> Keys { get; } = new(StringComparer.Ordinal);

        public List<DateTimeOffset> UsesRecorded { get; } = [];

        public Task<bool> AddKeyAsync(ApiKey key, CancellationToken cancellationToken) => Task.FromResult(Keys.TryAdd(key.Id, key));

        public Task<ApiKey?> FindKeyAsync(string id, CancellationToken cancellationToken) => Task.FromResult(Keys.GetValueOrDefault(id));

        public Task<IReadOnlyList<ApiKey>> ListKeysAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<ApiKey>>([.. Keys.Values]);

        public Task<bool> RevokeKeyAsync(string id, DateTimeOffset revokedAt, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task RecordKeyUseAsync(string id, DateTimeOffset usedAt, CancellationToken cancellationToken)
        {
            UsesRecorded.Add(usedAt);
            Keys[id] = Keys[id] with { LastUsedAt = usedAt };
            return Task.CompletedTask;
        }
    }
}
