using Microsoft.IdentityModel.Tokens;

namespace CivicEdge.Fleet.Server.Access;

/// <summary>Why an identity provider token was refused, in words for the caller and the audit log.</summary>
internal static class TokenFailure
{
    public static string Describe(Exception failure) => failure switch
    {
        SecurityTokenExpiredException expired => $"identity provider token refused: it expired at {expired.Expires:O}",
        SecurityTokenNotYetValidException early => $"identity provider token refused: it is valid only from {early.NotBefore:O}",
        SecurityTokenInvalidIssuerException issuer => $"identity provider token refused: expected the configured issuer, found '{issuer.InvalidIssuer}'",
        SecurityTokenInvalidAudienceException => "identity provider token refused: it is not issued for this fleet's audience (Fleet:Access:Jwt:Audience)",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException =>
            "identity provider token refused: its signature does not verify with the identity provider's keys (Fleet:Access:Jwt:SigningKeysFile)",
        SecurityTokenException or ArgumentException => $"identity provider token refused: {failure.GetType().Name}",
        _ => failure.Message,
    };
}
