using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Core.Provisioning;
using CivicEdge.Fleet.Core.Security;
using CivicEdge.Fleet.Core.Tests.Ledger;
using static CivicEdge.Fleet.Core.Tests.Ledger.LedgerRig;

namespace CivicEdge.Fleet.Core.Tests.Provisioning;

[Category("Unit")]
public sealed class DevicePasswordVerifierTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private LedgerRig _rig = null!;
    private string _secret = string.Empty;

    [SetUp]
    public async Task SetUp()
    {
        _rig = new LedgerRig();
        _rig.Security.PasswordCacheLifetime = TimeSpan.FromMinutes(5);
        _rig.Security.MaxFailedPasswords = 3;
        _rig.Security.FailedPasswordWindow = TimeSpan.FromMinutes(1);
        await _rig.RegisterAsync(Registration("gw-1", DeviceKind.Gateway));
        await _rig.RegisterAsync(Registration("gw-2", DeviceKind.Gateway));
        _secret = await _rig.IssuePasswordAsync("gw-1");
    }

    [TearDown]
    public void TearDown() => _rig.Dispose();

    private DevicePasswordVerifier Verifier() => new(_rig.Store, _rig.Security, _rig.Clock);

    [Test]
    public async Task A_right_password_is_hashed_once_and_then_answered_from_the_cache()
    {
        var verifier = Verifier();

        var first = await verifier.VerifyAsync("gw-1", _secret, None);
        var second = await verifier.VerifyAsync("gw-1", _secret, None);
        var third = await verifier.VerifyAsync("gw-1", _secret, None);

        Assert.That((first.Device!.Code, second.Device!.Code, third.Device!.CredentialId), Is.EqualTo(("gw-1", "gw-1", first.Device.CredentialId)));
        Assert.That((verifier.SlowChecks, verifier.CacheHits), Is.EqualTo((1L, 2L)));
    }

    [Test]
    public async Task A_wrong_password_is_refused_and_never_kept_so_each_try_is_checked_again()
    {
        var verifier = Verifier();

        var once = await verifier.VerifyAsync("gw-1", "guess", None);
        var twice = await verifier.VerifyAsync("gw-1", "guess", None);

        Assert.That((once.Refusal, twice.Refusal), Is.EqualTo((ConnectRefusal.BadPassword, ConnectRefusal.BadPassword)));
        Assert.That((verifier.SlowChecks, verifier.CacheHits, verifier.CachedPasswords), Is.EqualTo((2L, 0L, 0)));
        Assert.That(verifier.Refusals[ConnectRefusal.BadPassword], Is.EqualTo(2));
    }

    [Test]
    public async Task A_credential_revoked_after_its_password_was_cached_is_refused_at_the_next_request()
    {
        var verifier = Verifier();
        await verifier.VerifyAsync("gw-1", _secret, None);

        await _rig.Credentials.RevokeAsync("gw-1", new RevocationRequest { By = "op", Reason = "stolen" }, None);
        var after = await verifier.VerifyAsync("gw-1", _secret, None);

        Assert.That(after.Refusal, Is.EqualTo(ConnectRefusal.NoActiveCredential), after.Detail);
    }

    [Test]
    public async Task A_password_replaced_by_a_rotation_is_refused_once_its_grace_ends_though_it_was_cached()
    {
        var verifier = Verifier();
        await verifier.VerifyAsync("gw-1", _secret, None);
        var rotated = await _rig.Credentials.RotateAsync("gw-1", new CredentialRequest { By = "op", Grace = TimeSpan.FromMinutes(2) }, None);

        var inGrace = await verifier.VerifyAsync("gw-1", _secret, None);
        _rig.Clock.Advance(TimeSpan.FromMinutes(3));
        var afterGrace = await verifier.VerifyAsync("gw-1", _secret, None);
        var newOne = await verifier.VerifyAsync("gw-1", rotated.Value!.Secret!, None);

        Assert.That(inGrace.Accepted, Is.True);
        Assert.That(afterGrace.Refusal, Is.EqualTo(ConnectRefusal.BadPassword), "the old credential is no longer active: its cached entry does not count");
        Assert.That(newOne.Device!.CredentialId, Is.EqualTo(rotated.Value.Id));
    }

    [Test]
    public async Task A_device_decommissioned_after_its_password_was_cached_is_refused()
    {
        var verifier = Verifier();
        await verifier.VerifyAsync("gw-1", _secret, None);

        _rig.Store.Overwrite(device => device with { State = LifecycleState.Decommissioned }, "gw-1");

        Assert.That((await verifier.VerifyAsync("gw-1", _secret, None)).Refusal, Is.EqualTo(ConnectRefusal.Decommissioned));
    }

    [Test]
    public async Task A_cached_password_is_hashed_again_once_its_lifetime_ends()
    {
        var verifier = Verifier();
        await verifier.VerifyAsync("gw-1", _secret, None);

        _rig.Clock.Advance(TimeSpan.FromMinutes(5));
        var again = await verifier.VerifyAsync("gw-1", _secret, None);

        Assert.That(again.Accepted, Is.True);
        Assert.That((verifier.SlowChecks, verifier.CacheHits), Is.EqualTo((2L, 0L)));
    }

    [Test]
    public async Task Another_devices_code_with_a_cached_password_is_refused()
    {
        var verifier = Verifier();
        await _rig.IssuePasswordAsync("gw-2");
        await verifier.VerifyAsync("gw-1", _secret, None);

        var borrowed = await verifier.VerifyAsync("gw-2", _secret, None);

        Assert.That(borrowed.Refusal, Is.EqualTo(ConnectRefusal.BadPassword));
    }

    [Test]
    public async Task After_too_many_wrong_passwords_even_the_right_one_is_refused_unchecked_until_the_window_ends()
    {
        var verifier = Verifier();
        for (var i = 0; i < 3; i++)
            await verifier.VerifyAsync("gw-1", "guess-" + i, None);

        var locked = await verifier.VerifyAsync("gw-1", _secret, None);
        var hashed = verifier.SlowChecks;
        _rig.Clock.Advance(TimeSpan.FromMinutes(1));
        var later = await verifier.VerifyAsync("gw-1", _secret, None);

        Assert.That(locked.Refusal, Is.EqualTo(ConnectRefusal.TooManyFailures));
        Assert.That(locked.Detail, Does.Contain("3 wrong passwords"));
        Assert.That(hashed, Is.EqualTo(3), "the refused try cost no PBKDF2");
        Assert.That(later.Accepted, Is.True);
    }

    [Test]
    public async Task The_cache_keeps_at_most_its_configured_entries_dropping_the_oldest()
    {
        _rig.Security.PasswordCacheEntries = 2;
        await _rig.RegisterAsync(Registration("gw-3", DeviceKind.Gateway));
        var two = await _rig.IssuePasswordAsync("gw-2");
        var three = await _rig.IssuePasswordAsync("gw-3");
        var verifier = Verifier();

        await verifier.VerifyAsync("gw-1", _secret, None);
        _rig.Clock.Advance(TimeSpan.FromSeconds(1));
        await verifier.VerifyAsync("gw-2", two, None);
        _rig.Clock.Advance(TimeSpan.FromSeconds(1));
        await verifier.VerifyAsync("gw-3", three, None);
        await verifier.VerifyAsync("gw-3", three, None);
        await verifier.VerifyAsync("gw-1", _secret, None);

        Assert.That(verifier.CachedPasswords, Is.EqualTo(2));
        Assert.That((verifier.SlowChecks, verifier.CacheHits), Is.EqualTo((4L, 1L)), "gw-1, the oldest, was dropped for gw-3 and hashed again");
    }

    [Test]
    public async Task An_unknown_device_and_a_device_without_a_password_credential_are_refused_by_name()
    {
        var verifier = Verifier();

        var unknown = await verifier.VerifyAsync("gw-9", "anything", None);
        var none = await verifier.VerifyAsync("gw-2", "anything", None);

        Assert.That((unknown.Refusal, unknown.Detail), Is.EqualTo(((ConnectRefusal?)ConnectRefusal.UnknownDevice, "'gw-9' is not in the ledger")));
        Assert.That((none.Refusal, none.Detail), Is.EqualTo(((ConnectRefusal?)ConnectRefusal.NoActiveCredential, "gw-2 has no active password credential")));
    }
}
