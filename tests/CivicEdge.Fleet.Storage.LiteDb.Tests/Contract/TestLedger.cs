using System.Text.Json;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Core.Provisioning;

namespace CivicEdge.Fleet.Storage.LiteDb.Tests.Contract;

/// <summary>Ledger entries, credentials and claim tokens as store tests need them.</summary>
public static class TestLedger
{
    /// <summary>Whole milliseconds, as every store keeps at least.</summary>
    public static readonly DateTimeOffset T0 = new(2026, 11, 22, 10, 0, 0, 123, TimeSpan.Zero);

    public static LedgerDevice Device(
        string code,
        DeviceKind kind = DeviceKind.EnvironmentStation,
        string tenant = "ecology-bureau",
        string? gateway = null,
        LifecycleState state = LifecycleState.Registered,
        double? latitude = 34.7466,
        double? longitude = 113.6253,
        string? district = "Zhongyuan",
        string[]? tags = null,
        string[]? capabilities = null,
        string? batch = null,
        string? model = "rs485-pm",
        string? firmware = "1.4.2") =>
        new(
            code,
            kind,
            model,
            tenant,
            new DeviceLocation(latitude, longitude, "Jianshe Road 12", "P-0412", district),
            gateway,
            state,
            firmware,
            tags ?? ["pilot"],
            capabilities ?? ["pm2.5"],
            batch,
            Installer: null,
            InstalledAt: null,
            RegisteredAt: T0,
            UpdatedAt: T0,
            Revision: 1,
            History: [new LifecycleChange(null, LifecycleState.Registered, T0, "office", "registered")]);

    public static DeviceCredential Password(string id, string device, DateTimeOffset? issuedAt = null) =>
        new(id, device, CredentialKind.Password, "$7$10$c2FsdA==$aGFzaA==", null, issuedAt ?? T0, "office", null, null, null, null);

    public static DeviceCredential Certificate(string id, string device, string thumbprint) =>
        new(id, device, CredentialKind.Certificate, null, thumbprint, T0, "office", T0.AddDays(730), null, null, null);

    public static ClaimTokenRecord Token(string hash, string? device = null, string? batch = null, DateTimeOffset? expiresAt = null) =>
        new(hash, device, batch, T0, "office", expiresAt ?? T0.AddHours(8), []);

    /// <summary>The device as the API writes it: records holding lists compare by reference, their JSON by content.</summary>
    public static string Json(LedgerDevice? device) =>
        device is null ? "null" : JsonSerializer.Serialize(device, LedgerJson.Default.LedgerDevice);
}
