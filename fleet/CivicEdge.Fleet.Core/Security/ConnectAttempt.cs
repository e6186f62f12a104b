using System.Security.Cryptography.X509Certificates;

namespace CivicEdge.Fleet.Core.Security;

/// <summary>What a client presents when it connects.</summary>
/// <param name="ClientId">Its MQTT client id.</param>
/// <param name="UserName">Its user name, if any.</param>
/// <param name="Password">Its password, if any.</param>
/// <param name="Certificate">Its TLS client certificate, if any.</param>
public sealed record ConnectAttempt(string ClientId, string? UserName, string? Password, X509Certificate2? Certificate);
