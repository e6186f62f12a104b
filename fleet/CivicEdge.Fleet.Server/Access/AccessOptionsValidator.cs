using CivicEdge.Fleet.Contracts.Access;
using CivicEdge.Fleet.Core.Access;
using Microsoft.Extensions.Options;

namespace CivicEdge.Fleet.Server.Access;

/// <summary>Checks <c>Fleet:Access</c> at start-up, naming the key, what was expected and what was found.</summary>
internal sealed class AccessOptionsValidator : IValidateOptions<AccessOptions>
{
    public ValidateOptionsResult Validate(string? name, AccessOptions options)
    {
        const string at = AccessOptions.Section;
        var failures = new List<string>();
        if (options.BootstrapKey is { Length: > 0 } key && !ApiKeyToken.TryParse(key, out _, out var problem))
            failures.Add($"{at}:BootstrapKey: {problem}, found a value of {key.Length} characters (leave it unset and the fleet makes one)");
        if (options.BootstrapKey is { Length: > 0 } && options.BootstrapKeyFile is { Length: > 0 })
            failures.Add($"{at}:BootstrapKeyFile: expected either BootstrapKey or BootstrapKeyFile, found both");

        var jwt = options.Jwt;
        if (jwt.Enabled)
        {
            if (string.IsNullOrWhiteSpace(jwt.Issuer))
                failures.Add($"{at}:Jwt:Issuer: expected the identity provider's issuer (the tokens' iss), found nothing");
            if (string.IsNullOrWhiteSpace(jwt.Audience))
                failures.Add($"{at}:Jwt:Audience: expected the audience the tokens are issued for (their aud), found nothing");
            if (string.IsNullOrWhiteSpace(jwt.SigningKeysFile))
            {
                failures.Add($"{at}:Jwt:SigningKeysFile: expected a JWKS file or a PEM public key of the identity provider, found nothing");
            }
            else
            {
                try
                {
                    SigningKeyFile.Load(jwt.SigningKeysFile);
                }
                catch (InvalidOperationException exception)
                {
                    failures.Add($"{at}:Jwt:SigningKeysFile: {exception.Message}");
                }
            }

            foreach (var claim in new[] { ("NameClaim", jwt.NameClaim), ("RoleClaim", jwt.RoleClaim), ("TenantClaim", jwt.TenantClaim) })
            {
                if (string.IsNullOrWhiteSpace(claim.Item2))
                    failures.Add($"{at}:Jwt:{claim.Item1}: expected a claim name, found nothing");
            }

            foreach (var (idpRole, role) in jwt.Roles)
            {
                if (!Enum.TryParse<FleetRole>(role, ignoreCase: true, out _) || int.TryParse(role, out _))
                    failures.Add($"{at}:Jwt:Roles:{idpRole}: expected admin, operator, installer or regulator, found '{role}'");
            }

            if (jwt.ClockSkew < TimeSpan.Zero || jwt.ClockSkew > TimeSpan.FromMinutes(10))
                failures.Add($"{at}:Jwt:ClockSkew: expected 00:00:00 to 00:10:00, found {jwt.ClockSkew}");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
