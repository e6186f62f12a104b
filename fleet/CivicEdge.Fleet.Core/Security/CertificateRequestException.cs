namespace CivicEdge.Fleet.Core.Security;

/// <summary>A certificate signing request the fleet CA will not sign; the message says why.</summary>
public sealed class CertificateRequestException : Exception
{
    public CertificateRequestException(string message)
        : base(message)
    {
    }

    public CertificateRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
