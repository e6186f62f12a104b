using System.Net;

namespace CivicEdge.Fleet.Cli;

/// <summary>The fleet could not be reached or refused a request; the message is written for the person at the terminal.</summary>
public sealed class FleetApiException : Exception
{
    public FleetApiException(string message, HttpStatusCode? statusCode = null)
        : base(message) => StatusCode = statusCode;

    public FleetApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The HTTP status of a refused request; null when the fleet was not reached.</summary>
    public HttpStatusCode? StatusCode { get; }
}
