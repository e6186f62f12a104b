using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Core.Ledger;
using CivicEdge.Fleet.Core.Security;
using Microsoft.Extensions.Logging;

namespace CivicEdge.Fleet.Core.Provisioning;

/// <summary>
/// Per-device credentials issued by the fleet (no default or shared passwords): random secrets kept only as salted
/// PBKDF2 hashes, or client certificates of the fleet CA; rotation with a grace period; revocation that cuts the
/// device's broker sessions at once; and the check the broker runs on every connection.
/// </summary>
public sealed partial class DeviceCredentials
{
    private static readonly TimeSpan MaxGrace = TimeSpan.FromDays(90);

    private readonly IDeviceLedgerStore _store;
    private readonly IDeviceCertificateAuthority _authority;
    private readonly IDeviceSessions _sessions;
    private readonly SecurityOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<DeviceCredentials> _logger;

    /// <summary>
    /// The SHA-256 of each secret that passed the slow hash, by credential id, so that a device reconnecting pays for
    /// PBKDF2 once per fleet process, not once per connection. A revoked credential fails before this is looked at.
    /// </summary>
    private readonly ConcurrentDictionary<string, byte[]> _verified = new(StringComparer.Ordinal);

    public DeviceCredentials(
        IDeviceLedgerStore store,
        IDeviceCertificateAuthority authority,
        IDeviceSessions sessions,
        SecurityOptions options,
        TimeProvider timeProvider,
        ILogger<DeviceCredentials> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(authority);
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.HashIterations, 1, nameof(options.HashIterations));
        _store = store;
        _authority = authority;
        _sessions = sessions;
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Issues a new credential; the device's other credentials stay as they are.</summary>
    public async Task<LedgerResult<IssuedCredential>> IssueAsync(string code, CredentialRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(request);
        var problems = CheckRequest(request, rotation: false, out var kind, out var by);
        if (problems.Count > 0)
            return LedgerFailure.Invalid("Invalid credential request", problems);
        if (await UsableDeviceAsync(code, cancellationToken).ConfigureAwait(false) is { } refused)
            return refused;

        return await CreateAsync(code, kind, request.Csr, by, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Issues a new credential and retires every active one the device had: at once (their sessions are cut) when
    /// <see cref="CredentialRequest.RevokeOld"/> is set, otherwise at the end of the grace period.
    /// </summary>
    public async Task<LedgerResult<IssuedCredential>> RotateAsync(string code, CredentialRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(request);
        var problems = CheckRequest(request, rotation: true, out var kind, out var by);
        if (problems.Count > 0)
            return LedgerFailure.Invalid("Invalid credential rotation", problems);
        if (await UsableDeviceAsync(code, cancellationToken).ConfigureAwait(false) is { } refused)
            return refused;

        var now = Now();
        var old = (await _store.ListCredentialsAsync(code, cancellationToken).ConfigureAwait(false)).Where(credential => credential.IsActiveAt(now)).ToList();
        var issued = await CreateAsync(code, kind, request.Csr, by, cancellationToken).ConfigureAwait(false);
        if (!issued.Succeeded)
            return issued;

        var graceEnd = now + (request.Grace ?? _options.CredentialGracePeriod);
        foreach (var credential in old)
        {
            if (request.RevokeOld == true)
            {
                await RevokeOneAsync(credential, by, $"rotated: replaced by {issued.Value.Id}", cancellationToken).ConfigureAwait(false);
            }
            else if (credential.ValidUntil is null || credential.ValidUntil > graceEnd)
            {
                await _store.TryUpdateCredentialAsync(credential with { ValidUntil = graceEnd }, cancellationToken).ConfigureAwait(false);
                await _sessions.LimitAsync(code, credential.Id, graceEnd, cancellationToken).ConfigureAwait(false);
                LogGrace(_logger, code, credential.Id, graceEnd);
            }
        }

        return issued;
    }

    /// <summary>Revokes one credential of the device, or all of them, and cuts the sessions that used them.</summary>
    public async Task<LedgerResult<RevocationAnswer>> RevokeAsync(string code, RevocationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(request);
        var problems = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var by = LedgerFields.Text("by", request.By, LedgerFields.MaxNameLength, required: true, problems);
        var reason = LedgerFields.Text("reason", request.Reason, LedgerFields.MaxTextLength, required: true, problems);
        if (problems.Count > 0)
            return LedgerFailure.Invalid("Invalid revocation", problems);
        if (await _store.FindDeviceAsync(code, cancellationToken).ConfigureAwait(false) is null)
            return DeviceLedger.UnknownDevice(code);

        var credentials = await _store.ListCredentialsAsync(code, cancellationToken).ConfigureAwait(false);
        if (request.Credential is { } id)
        {
            credentials = credentials.Where(credential => credential.Id == id).ToList();
            if (credentials.Count == 0)
                return LedgerFailure.NotFound("credential", $"credential: expected the id of one of {code}'s credentials, found '{LedgerFields.Printable(id)}'");
        }

        var revoked = new List<CredentialSummary>();
        var closed = 0;
        foreach (var credential in credentials.Where(credential => credential.RevokedAt is null))
        {
            var (summary, sessions) = await RevokeOneAsync(credential, by!, reason!, cancellationToken).ConfigureAwait(false);
            revoked.Add(summary);
            closed += sessions;
        }

        // A device that presents no credential at all (say, a certificate the ledger never saw) holds no session either.
        if (request.Credential is null)
            closed += await _sessions.CloseAsync(code, null, reason!, cancellationToken).ConfigureAwait(false);
        return LedgerResult<RevocationAnswer>.Success(new RevocationAnswer(revoked, closed));
    }

    /// <summary>Revokes every credential of a device and closes all its sessions: what decommissioning does.</summary>
    public async Task<int> RevokeAllAsync(string code, string by, string reason, CancellationToken cancellationToken)
    {
        var closed = 0;
        foreach (var credential in (await _store.ListCredentialsAsync(code, cancellationToken).ConfigureAwait(false)).Where(credential => credential.RevokedAt is null))
            closed += (await RevokeOneAsync(credential, by, reason, cancellationToken).ConfigureAwait(false)).Sessions;
        return closed + await _sessions.CloseAsync(code, null, reason, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The device's credentials, without secrets.</summary>
    public async Task<LedgerResult<IReadOnlyList<CredentialSummary>>> ListAsync(string code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (await _store.FindDeviceAsync(code, cancellationToken).ConfigureAwait(false) is null)
            return DeviceLedger.UnknownDevice(code);
        var now = Now();
        IReadOnlyList<CredentialSummary> summaries = (await _store.ListCredentialsAsync(code, cancellationToken).ConfigureAwait(false))
            .Select(credential => credential.Summarize(now)).ToList();
        return LedgerResult<IReadOnlyList<CredentialSummary>>.Success(summaries);
    }

    /// <summary>
    /// Checks a device's connection: a client certificate of the fleet CA that the ledger holds and has not revoked, or
    /// the device code as user name with the secret of one of its active password credentials. The client id must be
    /// the code, or start with the code and '/', so that no device can take over another's session (MQTT 5.0 §3.1.4-3).
    /// </summary>
    public async Task<ConnectDecision> AuthenticateAsync(ConnectAttempt attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var now = _timeProvider.GetUtcNow();
        if (attempt.Certificate is { } certificate)
            return await AuthenticateCertificateAsync(attempt, certificate, now, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrEmpty(attempt.UserName))
            return ConnectDecision.Refuse(ConnectRefusal.NoCredentials, "no user name and no client certificate");

        var code = attempt.UserName;
        if (await _store.FindDeviceAsync(code, cancellationToken).ConfigureAwait(false) is not { } device)
            return ConnectDecision.Refuse(ConnectRefusal.UnknownDevice, $"'{LedgerFields.Printable(code)}' is not in the ledger");
        if (DeviceRefusal(device, attempt.ClientId) is { } refusal)
            return refusal;

        var active = (await _store.ListCredentialsAsync(code, cancellationToken).ConfigureAwait(false))
            .Where(credential => credential.Kind == CredentialKind.Password && credential.IsActiveAt(now))
            .ToList();
        if (active.Count == 0)
            return ConnectDecision.Refuse(ConnectRefusal.NoActiveCredential, $"{code} has no active password credential");
        if (string.IsNullOrEmpty(attempt.Password))
            return ConnectDecision.Refuse(ConnectRefusal.BadPassword, $"{code} gave no password");

        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(attempt.Password));
        foreach (var credential in active)
        {
            if (Matches(credential, attempt.Password, digest))
                return ConnectDecision.For(new DeviceIdentity(code, device.Kind, credential.Id, credential.ValidUntil));
        }

        return ConnectDecision.Refuse(ConnectRefusal.BadPassword, $"{code}'s password matches none of its {active.Count} active credentials");
    }

    private async Task<ConnectDecision> AuthenticateCertificateAsync(
        ConnectAttempt attempt, X509Certificate2 certificate, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!_authority.Recognises(certificate, now, out var untrusted))
            return ConnectDecision.Refuse(ConnectRefusal.UntrustedCertificate, untrusted);

        var code = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        if (!string.IsNullOrEmpty(attempt.UserName) && !string.Equals(attempt.UserName, code, StringComparison.Ordinal))
            return ConnectDecision.Refuse(ConnectRefusal.UserNameMismatch, $"user name '{LedgerFields.Printable(attempt.UserName)}' with the certificate of {code}");

        var thumbprint = Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256));
        var credential = await _store.FindCredentialByThumbprintAsync(thumbprint, cancellationToken).ConfigureAwait(false);
        if (credential is null || credential.Device != code)
            return ConnectDecision.Refuse(ConnectRefusal.RevokedCertificate, $"the certificate {thumbprint} of {code} is not in the ledger");
        if (!credential.IsActiveAt(now))
            return ConnectDecision.Refuse(ConnectRefusal.RevokedCertificate, $"the certificate {thumbprint} of {code} was revoked or its grace ended");

        if (await _store.FindDeviceAsync(code, cancellationToken).ConfigureAwait(false) is not { } device)
            return ConnectDecision.Refuse(ConnectRefusal.UnknownDevice, $"{code} is not in the ledger");
        return DeviceRefusal(device, attempt.ClientId) ?? ConnectDecision.For(new DeviceIdentity(code, device.Kind, credential.Id, credential.ValidUntil));
    }

    private static ConnectDecision? DeviceRefusal(LedgerDevice device, string clientId)
    {
        if (device.State == LifecycleState.Decommissioned)
            return ConnectDecision.Refuse(ConnectRefusal.Decommissioned, $"{device.Code} is decommissioned");
        var code = device.Code;
        if (!string.Equals(clientId, code, StringComparison.Ordinal) && !clientId.StartsWith(code + "/", StringComparison.Ordinal))
            return ConnectDecision.Refuse(ConnectRefusal.ClientIdMismatch, $"{code} connected as client '{LedgerFields.Printable(clientId)}', expected '{code}' or '{code}/…'");
        return null;
    }

    private bool Matches(DeviceCredential credential, string password, byte[] digest)
    {
        if (_verified.TryGetValue(credential.Id, out var known))
            return CryptographicOperations.FixedTimeEquals(known, digest);
        if (credential.PasswordHash is null || !SecretHash.Verify(password, credential.PasswordHash))
            return false;
        _verified[credential.Id] = digest;
        return true;
    }

    private async Task<LedgerResult<IssuedCredential>> CreateAsync(string code, CredentialKind kind, string? csr, string by, CancellationToken cancellationToken)
    {
        var now = Now();
        var id = DeviceSecrets.NewId();
        IssuedCredential issued;
        DeviceCredential stored;
        if (kind == CredentialKind.Password)
        {
            var secret = DeviceSecrets.NewSecret();
            stored = new DeviceCredential(id, code, kind, SecretHash.Create(secret, _options.HashIterations), null, now, by, null, null, null, null);
            issued = new IssuedCredential(id, code, kind, secret, null, null, _authority.CertificatePem, now, null);
        }
        else
        {
            DeviceCertificate certificate;
            try
            {
                certificate = _authority.IssueDeviceCertificate(code, csr, now, now + _options.CertificateValidity);
            }
            catch (CertificateRequestException exception)
            {
                return LedgerFailure.Invalid("Certificate signing request refused", "csr", $"csr: {exception.Message}");
            }

            stored = new DeviceCredential(id, code, kind, null, certificate.Thumbprint, now, by, certificate.NotAfter, null, null, null);
            issued = new IssuedCredential(id, code, kind, null, certificate.CertificatePem, certificate.PrivateKeyPem, _authority.CertificatePem, now, certificate.NotAfter);
        }

        await _store.AddCredentialAsync(stored, cancellationToken).ConfigureAwait(false);
        LogIssued(_logger, code, LedgerNames.Of(kind), id, by);
        return LedgerResult<IssuedCredential>.Success(issued);
    }

    private async Task<(CredentialSummary Summary, int Sessions)> RevokeOneAsync(DeviceCredential credential, string by, string reason, CancellationToken cancellationToken)
    {
        var revoked = credential with { RevokedAt = Now(), RevokedBy = by, RevocationReason = reason };
        await _store.TryUpdateCredentialAsync(revoked, cancellationToken).ConfigureAwait(false);
        _verified.TryRemove(credential.Id, out _);
        var sessions = await _sessions.CloseAsync(credential.Device, credential.Id, reason, cancellationToken).ConfigureAwait(false);
        LogRevoked(_logger, credential.Device, credential.Id, by, reason, sessions);
        return (revoked.Summarize(Now()), sessions);
    }

    private async Task<LedgerFailure?> UsableDeviceAsync(string code, CancellationToken cancellationToken) =>
        await _store.FindDeviceAsync(code, cancellationToken).ConfigureAwait(false) switch
        {
            null => DeviceLedger.UnknownDevice(code),
            { State: LifecycleState.Decommissioned } device => DeviceLedger.Decommissioned(device),
            _ => null,
        };

    private static Dictionary<string, List<string>> CheckRequest(CredentialRequest request, bool rotation, out CredentialKind kind, out string by)
    {
        var problems = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        kind = request.Kind ?? CredentialKind.Password;
        by = LedgerFields.Text("by", request.By, LedgerFields.MaxNameLength, required: true, problems) ?? string.Empty;
        if (kind == CredentialKind.Password && request.Csr is not null)
            LedgerFields.Add(problems, "csr", "csr: expected none for a password credential (kind certificate takes one), found a signing request");
        if (!rotation && (request.Grace is not null || request.RevokeOld is not null))
            LedgerFields.Add(problems, request.Grace is not null ? "grace" : "revokeOld", "grace, revokeOld: expected only when rotating (…/credentials/rotate)");
        if (request.Grace is { } grace && (grace < TimeSpan.Zero || grace > MaxGrace))
            LedgerFields.Add(problems, "grace", $"grace: expected from 00:00:00 to {MaxGrace.TotalDays:0} days, found {grace}");
        if (request.Grace is not null && request.RevokeOld == true)
            LedgerFields.Add(problems, "grace", "grace: expected none when revokeOld is true (the old credentials end at once)");
        return problems;
    }

    private DateTimeOffset Now()
    {
        var now = _timeProvider.GetUtcNow();
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Issued a {Kind} credential {CredentialId} to {Code} by {By}")]
    private static partial void LogIssued(ILogger logger, string code, string kind, string credentialId, string by);

    [LoggerMessage(Level = LogLevel.Information, Message = "Credential {CredentialId} of {Code} stays valid until {ValidUntil} (rotation grace)")]
    private static partial void LogGrace(ILogger logger, string code, string credentialId, DateTimeOffset validUntil);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Revoked credential {CredentialId} of {Code} by {By} ({Reason}); {Sessions} sessions closed")]
    private static partial void LogRevoked(ILogger logger, string code, string credentialId, string by, string reason, int sessions);
}
