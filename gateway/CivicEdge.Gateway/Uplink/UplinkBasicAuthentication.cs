using System.Net.Http.Headers;
using System.Text;
using CivicEdge.Gateway.Configuration;

namespace CivicEdge.Gateway.Uplink;

/// <summary>
/// Signs the gateway's requests to the fleet's HTTP API (artifact downloads for itself and the devices it relays to)
/// with its own ledger credential, the one the uplink connects to the broker with: <c>Authorization: Basic</c> of
/// user name and password in UTF-8 (RFC 7617 §2). The password is read for every request, so a password file rotated
/// by provisioning is picked up by the next range request without a restart.
/// </summary>
public sealed class UplinkBasicAuthentication(UplinkOptions options) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        string? password;
        try
        {
            password = UplinkCredentials.CurrentPassword(options);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            // A download that fails this way is retried like one the network broke; the file may be mid-rotation.
            throw new HttpRequestException($"{UplinkOptions.SectionName}:PasswordFile '{options.PasswordFile}' could not be read ({ex.Message}); expected a readable file whose first line is the password.", ex);
        }

        if (password is null)
            throw new InvalidOperationException($"{UplinkOptions.SectionName} has no password to download from the fleet with; start-up checks this (SelfUpdate, DeviceUpdate).");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Encode(options.Username!, password));
        return base.SendAsync(request, cancellationToken);
    }

    /// <summary>base64 of <c>user:password</c> in UTF-8 (RFC 7617 §2.1 charset="UTF-8").</summary>
    public static string Encode(string username, string password) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(username + ":" + password));
}
