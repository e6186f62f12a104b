using CivicEdge.Fleet.Contracts.Access;
using CivicEdge.Fleet.Core.Access;
using CivicEdge.Fleet.Core.Audit;
using Microsoft.Extensions.Options;

namespace CivicEdge.Fleet.Server.Access;

/// <summary>
/// Makes sure someone can administer the fleet, without any default password: at start, the configured bootstrap
/// key (<c>Fleet:Access:BootstrapKey</c> or the key in <c>BootstrapKeyFile</c>) is stored if new; with none
/// configured, a fleet that has no usable city-wide admin key (its first start, or after every one was revoked or
/// expired) makes one and prints it once on standard output (or writes it to <c>BootstrapKeyFile</c>).
/// </summary>
internal sealed partial class BootstrapAdminKey(
    IOptions<AccessOptions> options,
    IApiKeyStore keys,
    IAuditTrail audit,
    TimeProvider timeProvider,
    ILogger<BootstrapAdminKey> logger) : IHostedService
{
    public const string KeyName = "bootstrap";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var access = options.Value;
        if (access.BootstrapKey is { Length: > 0 } configured)
        {
            await AcceptAsync(configured, $"{AccessOptions.Section}:BootstrapKey", cancellationToken).ConfigureAwait(false);
            return;
        }

        if (access.BootstrapKeyFile is { Length: > 0 } file && File.Exists(file))
        {
            var text = (await File.ReadAllLinesAsync(file, cancellationToken).ConfigureAwait(false)).FirstOrDefault()?.Trim() ?? string.Empty;
            await AcceptAsync(text, file, cancellationToken).ConfigureAwait(false);
            return;
        }

        var now = timeProvider.GetUtcNow();
        var stored = await keys.ListKeysAsync(cancellationToken).ConfigureAwait(false);
        if (access.BootstrapKeyFile is not { Length: > 0 } && stored.Any(key => key.Role == FleetRole.Admin && key.AllTenants && key.IsUsableAt(now)))
            return;

        var token = ApiKeyToken.New();
        await AddAsync(token, "generated at start", cancellationToken).ConfigureAwait(false);
        if (access.BootstrapKeyFile is { Length: > 0 } keyFile)
        {
            await WriteOwnerOnlyAsync(keyFile, token.ToString(), cancellationToken).ConfigureAwait(false);
            await Console.Out.WriteLineAsync($"civicedge-fleet bootstrap admin key {token.Id} written to {Path.GetFullPath(keyFile)}").ConfigureAwait(false);
        }
        else
        {
            await Console.Out.WriteLineAsync(
                $"civicedge-fleet bootstrap admin key (shown once; keep it safe, make named keys with it, then revoke it): {token}").ConfigureAwait(false);
        }

        await Console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task AcceptAsync(string text, string source, CancellationToken cancellationToken)
    {
        if (!ApiKeyToken.TryParse(text, out var token, out var problem))
            throw new InvalidOperationException($"{source}: {problem}");

        var held = await keys.FindKeyAsync(token.Id, cancellationToken).ConfigureAwait(false);
        if (held is null)
        {
            await AddAsync(token, $"from {source}", cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!token.Matches(held.SecretHash))
            throw new InvalidOperationException($"{source}: key {token.Id} is stored with another secret; give the key it was made with, or another id");
        if (!held.IsUsableAt(timeProvider.GetUtcNow()))
            LogUnusable(logger, token.Id, source);
    }

    private async Task AddAsync(ApiKeyToken token, string origin, CancellationToken cancellationToken)
    {
        var key = new ApiKey(
            token.Id, token.HashSecret(), KeyName, FleetRole.Admin, [], AllTenants: true, timeProvider.GetUtcNow(), KeyName,
            ExpiresAt: null, LastUsedAt: null, RevokedAt: null);
        if (!await keys.AddKeyAsync(key, cancellationToken).ConfigureAwait(false))
            throw new InvalidOperationException($"API key id {token.Id} exists already.");
        await audit.RecordAsync(AuditActions.KeyBootstrap, token.Id, null, AuditOutcome.Succeeded, $"city-wide admin key {origin}", cancellationToken)
            .ConfigureAwait(false);
        LogCreated(logger, token.Id, origin);
    }

    private static async Task WriteOwnerOnlyAsync(string path, string key, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var streamOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            streamOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await using var stream = new FileStream(path, streamOptions);
        await using var writer = new StreamWriter(stream);
        await writer.WriteLineAsync(key.AsMemory(), cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Bootstrap admin key {KeyId} stored ({Origin})")]
    private static partial void LogCreated(ILogger logger, string keyId, string origin);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The bootstrap admin key {KeyId} from {Source} is revoked or expired; it stays so")]
    private static partial void LogUnusable(ILogger logger, string keyId, string source);
}
