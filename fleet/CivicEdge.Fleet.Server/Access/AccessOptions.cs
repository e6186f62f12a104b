namespace CivicEdge.Fleet.Server.Access;

/// <summary>People's access to the REST API (<c>Fleet:Access</c>).</summary>
public sealed class AccessOptions
{
    public const string Section = "Fleet:Access";

    /// <summary>
    /// An admin key to accept from the first start, <c>ce_&lt;id&gt;_&lt;secret&gt;</c>; its hash is stored. Unset (and no
    /// <see cref="BootstrapKeyFile"/>): the fleet makes one when it has no usable city-wide admin key and prints it once.
    /// </summary>
    public string? BootstrapKey { get; set; }

    /// <summary>
    /// A file holding the bootstrap admin key on its first line: read when it exists; otherwise the fleet makes a key
    /// and writes it there (owner-only permissions) instead of printing it.
    /// </summary>
    public string? BootstrapKeyFile { get; set; }

    /// <summary>Bearer tokens from the city's identity provider.</summary>
    public JwtAccessOptions Jwt { get; set; } = new();
}
