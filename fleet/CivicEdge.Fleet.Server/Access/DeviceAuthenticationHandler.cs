using System.Text;
using System.Text.Encodings.Web;
using CivicEdge.Fleet.Core.Provisioning;
using CivicEdge.Fleet.Core.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace CivicEdge.Fleet.Server.Access;

/// <summary>
/// Authenticates a device by its own ledger credential, the one it connects to the broker with:
/// <c>Authorization: Basic base64(code:password)</c> (RFC 7617 §2, user-id and password in UTF-8). The principal is a
/// device, not a person: it holds no permission, and may only download the artifacts a campaign offers it
/// (<see cref="DeviceAccessHandler"/>). A refusal is counted by reason in <see cref="DevicePasswordVerifier"/>, logged,
/// and audited with the 401 like every other.
/// </summary>
internal sealed partial class DeviceAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    DevicePasswordVerifier verifier) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>Where the code of a refused device is left for the audit log, so that a denial names the device tried.</summary>
    public static readonly object RefusedDeviceItem = new();

    private const string Prefix = "Basic ";

    /// <summary>Whether the request carries Basic credentials, which only devices use.</summary>
    public static bool CarriesBasic(HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.NoResult();

        if (Parse(header[Prefix.Length..].Trim()) is not ({ } code, { } password))
            return AuthenticateResult.Fail("Basic credentials: expected base64 of '<device code>:<password>' (RFC 7617 §2), found a value that does not decode to one");

        var decision = await verifier.VerifyAsync(code, password, Context.RequestAborted).ConfigureAwait(false);
        if (decision.Refusal is { } refusal)
        {
            Context.Items[RefusedDeviceItem] = code;
            LogRefused(Logger, code, Context.Connection.RemoteIpAddress?.ToString() ?? "?", refusal, decision.Detail);
            return AuthenticateResult.Fail($"device credentials refused ({Describe(refusal)}): {decision.Detail}");
        }

        var principal = FleetClaims.ToDevicePrincipal(decision.Device!, Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.Append(HeaderNames.WWWAuthenticate, "Basic realm=\"civicedge-fleet\", charset=\"UTF-8\"");
        return Task.CompletedTask;
    }

    /// <summary>The device code and password of a Basic credential; nulls when it is not base64 of 'code:password'.</summary>
    public static (string? Code, string? Password) Parse(string encoded)
    {
        Span<byte> bytes = stackalloc byte[Math.Min(encoded.Length, 1024)];
        if (encoded.Length > bytes.Length || !Convert.TryFromBase64String(encoded, bytes, out var written))
            return (null, null);
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes[..written]);
        }
        catch (DecoderFallbackException)
        {
            return (null, null);
        }

        // RFC 7617 §2: the user-id cannot contain a colon; the password may.
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon <= 0 ? (null, null) : (text[..colon], text[(colon + 1)..]);
    }

    private static string Describe(ConnectRefusal refusal) =>
        System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(refusal.ToString());

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused the HTTP credentials of device {Code} from {Remote} ({Reason}): {Detail}")]
    private static partial void LogRefused(ILogger logger, string code, string remote, ConnectRefusal reason, string detail);
}
