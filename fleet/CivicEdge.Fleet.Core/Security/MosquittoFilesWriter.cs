using System.Text;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Core.Provisioning;

namespace CivicEdge.Fleet.Core.Security;

/// <summary>
/// Writes the ledger as an external Mosquitto broker's <c>password_file</c> and <c>acl_file</c> (mosquitto.conf(5)):
/// one user per device with an active password credential (the PBKDF2-SHA512 <c>$7$</c> hashes are Mosquitto's own
/// form, so no secret is needed), the same topic rules as the embedded broker's (<see cref="TopicAcl"/>), and the
/// fleet's own user with access to everything.
/// </summary>
public static class MosquittoFilesWriter
{
    public static MosquittoFiles Write(
        string fleetUserName,
        string fleetPasswordHash,
        IReadOnlyList<LedgerDevice> devices,
        IReadOnlyList<DeviceCredential> credentials,
        DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(fleetUserName);
        ArgumentException.ThrowIfNullOrEmpty(fleetPasswordHash);
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(credentials);

        var passwords = new StringBuilder();
        var acl = new StringBuilder()
            .Append("# Written by civicedge-fleet from its device ledger; regenerate after every ledger change.\n")
            .Append("# Mosquitto denies whatever is not granted here.\n\n")
            .Append("user ").Append(fleetUserName).Append('\n')
            .Append("topic readwrite ").Append(Topics.Prefix).Append("#\n");
        passwords.Append(fleetUserName).Append(':').Append(fleetPasswordHash).Append('\n');

        var users = 1;
        var byGateway = devices
            .Where(device => device.Gateway is not null && device.State != LifecycleState.Decommissioned)
            .ToLookup(device => device.Gateway!, StringComparer.Ordinal);
        var hashes = credentials
            .Where(credential => credential.Kind == CredentialKind.Password && credential.PasswordHash is not null && credential.IsActiveAt(now))
            .ToLookup(credential => credential.Device, StringComparer.Ordinal);
        foreach (var device in devices.Where(device => device.State != LifecycleState.Decommissioned).OrderBy(device => device.Code, StringComparer.Ordinal))
        {
            var active = hashes[device.Code].ToList();
            if (active.Count == 0)
                continue;

            // Mosquitto keeps one hash per user: during a rotation's grace period the newest credential wins.
            passwords.Append(device.Code).Append(':').Append(active[^1].PasswordHash).Append('\n');
            users++;
            acl.Append("\nuser ").Append(device.Code).Append('\n');
            Grant(acl, device.Code);
            if (device.Kind == DeviceKind.Gateway)
            {
                foreach (var child in byGateway[device.Code].OrderBy(child => child.Code, StringComparer.Ordinal))
                    Grant(acl, child.Code);
            }
        }

        return new MosquittoFiles(passwords.ToString(), acl.ToString(), users);
    }

    private static void Grant(StringBuilder acl, string code)
    {
        foreach (var kind in TopicAcl.SourceToFleetKinds)
            acl.Append("topic write ").Append(Topics.Prefix).Append(code).Append('/').Append(kind).Append('\n');
        acl.Append("topic read ").Append(Topics.Prefix).Append(code).Append("/#\n");
    }
}
