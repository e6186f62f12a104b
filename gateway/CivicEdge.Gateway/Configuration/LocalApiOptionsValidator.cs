using Microsoft.Extensions.Options;

namespace CivicEdge.Gateway.Configuration;

/// <summary>Checks the <c>Gateway:Http</c> section at start-up; every message names the key.</summary>
public sealed class LocalApiOptionsValidator : IValidateOptions<LocalApiOptions>
{
    public ValidateOptionsResult Validate(string? name, LocalApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
            return ValidateOptionsResult.Success;
        return Uri.TryCreate(options.Url, UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttp && url.AbsolutePath == "/" && url.Query.Length == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"{LocalApiOptions.SectionName}:Url is '{options.Url}'; expected http://host:port such as http://127.0.0.1:5081, or {LocalApiOptions.SectionName}:Enabled=false for no listener.");
    }
}
