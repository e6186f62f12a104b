using System.Security.Cryptography;
using System.Text;

namespace CivicEdge.Fleet.Core.Security;

/// <summary>The fleet's own MQTT user: a name no device can hold and a secret generated at first start.</summary>
public sealed class FleetClientIdentity
{
    private readonly byte[] _secret;

    public FleetClientIdentity(string userName, string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(userName);
        ArgumentException.ThrowIfNullOrEmpty(secret);
        UserName = userName;
        Secret = secret;
        _secret = Encoding.UTF8.GetBytes(secret);
    }

    public string UserName { get; }

    /// <summary>The password the fleet's client connects with.</summary>
    public string Secret { get; }

    /// <summary>Compares in constant time, so timing tells nothing of the secret.</summary>
    public bool Matches(string? password) =>
        password is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(password), _secret);
}
