using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Core.Ledger;
using CivicEdge.Fleet.Core.Security;

namespace CivicEdge.Fleet.Core.Provisioning;

/// <summary>
/// Checks a device's code and password against its active password credentials in the ledger, for callers that ask
/// again and again (HTTP downloads: one download is many range requests, each with its credentials, RFC 7617).
/// </summary>
/// <remarks>
/// PBKDF2 is slow on purpose (<see cref="SecretHash"/>), so a password that passed it is kept, under the SHA-256 of
/// code and password, for <see cref="SecurityOptions.PasswordCacheLifetime"/>, in a cache of at most
/// <see cref="SecurityOptions.PasswordCacheEntries"/>. The cache saves the hash, never the ledger: every check reads the
/// device and its credentials, and a kept entry counts only while the credential it matched is still active. So a
/// revoked or expired credential, or a decommissioned device, is refused at its very next request, on every fleet node.
/// Wrong passwords are never kept; after <see cref="SecurityOptions.MaxFailedPasswords"/> of them in
/// <see cref="SecurityOptions.FailedPasswordWindow"/> a device's further tries are refused without hashing until the
/// window ends, so guessing costs the fleet no CPU.
/// </remarks>
public sealed class DevicePasswordVerifier
{
    private readonly IDeviceLedgerStore _store;
    private readonly SecurityOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ConcurrentDictionary<string, VerifiedPassword> _verified = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, FailureWindow> _failures = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<ConnectRefusal, long> _refusals = new();
    private long _cacheHits;
    private long _slowChecks;

    public DevicePasswordVerifier(IDeviceLedgerStore store, SecurityOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PasswordCacheEntries, 1, nameof(options.PasswordCacheEntries));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxFailedPasswords, 1, nameof(options.MaxFailedPasswords));
        _store = store;
        _options = options;
        _timeProvider = timeProvider;
    }

    /// <summary>Checks that answered from the cache, without PBKDF2.</summary>
    public long CacheHits => Interlocked.Read(ref _cacheHits);

    /// <summary>Checks that ran PBKDF2.</summary>
    public long SlowChecks => Interlocked.Read(ref _slowChecks);

    /// <summary>Refusals by reason, since the fleet started.</summary>
    public IReadOnlyDictionary<ConnectRefusal, long> Refusals => new SortedDictionary<ConnectRefusal, long>(_refusals);

    /// <summary>Passwords kept verified right now.</summary>
    public int CachedPasswords => _verified.Count;

    /// <summary>
    /// The device <paramref name="code"/> names, when <paramref name="password"/> is the secret of one of its active
    /// password credentials and the device is not decommissioned; otherwise the refusal and why.
    /// </summary>
    public async Task<ConnectDecision> VerifyAsync(string code, string password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(password);
        var now = _timeProvider.GetUtcNow();
        if (_failures.TryGetValue(code, out var failures) && now - failures.Start < _options.FailedPasswordWindow && failures.Count >= _options.MaxFailedPasswords)
        {
            return Refuse(ConnectRefusal.TooManyFailures,
                $"{code} was tried with {failures.Count} wrong passwords since {failures.Start:O}; refused unchecked until {failures.Start + _options.FailedPasswordWindow:O}");
        }

        if (await _store.FindDeviceAsync(code, cancellationToken).ConfigureAwait(false) is not { } device)
            return Refuse(ConnectRefusal.UnknownDevice, $"'{LedgerFields.Printable(code)}' is not in the ledger");
        if (device.State == LifecycleState.Decommissioned)
            return Refuse(ConnectRefusal.Decommissioned, $"{code} is decommissioned");

        var active = (await _store.ListCredentialsAsync(code, cancellationToken).ConfigureAwait(false))
            .Where(credential => credential.Kind == CredentialKind.Password && credential.IsActiveAt(now))
            .ToList();
        if (active.Count == 0)
            return Refuse(ConnectRefusal.NoActiveCredential, $"{code} has no active password credential");
        if (password.Length == 0)
            return Refuse(ConnectRefusal.BadPassword, $"{code} gave no password");

        var key = CacheKey(code, password);
        if (_verified.TryGetValue(key, out var verified))
        {
            if (now - verified.At < _options.PasswordCacheLifetime && active.Find(credential => credential.Id == verified.CredentialId) is { } still)
            {
                Interlocked.Increment(ref _cacheHits);
                return Accept(device, still);
            }

            _verified.TryRemove(key, out _);
        }

        Interlocked.Increment(ref _slowChecks);
        foreach (var credential in active)
        {
            if (credential.PasswordHash is not null && SecretHash.Verify(password, credential.PasswordHash))
            {
                Keep(key, new VerifiedPassword(credential.Id, now));
                _failures.TryRemove(code, out _);
                return Accept(device, credential);
            }
        }

        CountFailure(code, now);
        return Refuse(ConnectRefusal.BadPassword, $"{code}'s password matches none of its {active.Count} active password credentials");
    }

    /// <summary>SHA-256 of code and password, so that the cache holds no secret and one device's entry never serves another.</summary>
    private static string CacheKey(string code, string password) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(code + "\n" + password)));

    private void Keep(string key, VerifiedPassword entry)
    {
        if (_verified.Count >= _options.PasswordCacheEntries)
        {
            var now = entry.At;
            foreach (var (stale, _) in _verified.Where(pair => now - pair.Value.At >= _options.PasswordCacheLifetime))
                _verified.TryRemove(stale, out _);
            while (_verified.Count >= _options.PasswordCacheEntries && !_verified.IsEmpty)
                _verified.TryRemove(_verified.MinBy(pair => pair.Value.At).Key, out _);
        }

        _verified[key] = entry;
    }

    private void CountFailure(string code, DateTimeOffset now)
    {
        if (!_failures.ContainsKey(code) && _failures.Count >= _options.PasswordCacheEntries)
        {
            foreach (var (ended, _) in _failures.Where(pair => now - pair.Value.Start >= _options.FailedPasswordWindow))
                _failures.TryRemove(ended, out _);
        }

        _failures.AddOrUpdate(
            code,
            _ => new FailureWindow(now, 1),
            (_, window) => now - window.Start >= _options.FailedPasswordWindow ? new FailureWindow(now, 1) : window with { Count = window.Count + 1 });
    }

    private static ConnectDecision Accept(LedgerDevice device, DeviceCredential credential) =>
        ConnectDecision.For(new DeviceIdentity(device.Code, device.Kind, credential.Id, credential.ValidUntil));

    private ConnectDecision Refuse(ConnectRefusal refusal, string detail)
    {
        _refusals.AddOrUpdate(refusal, 1, (_, count) => count + 1);
        return ConnectDecision.Refuse(refusal, detail);
    }

    private sealed record VerifiedPassword(string CredentialId, DateTimeOffset At);

    private sealed record FailureWindow(DateTimeOffset Start, int Count);
}
