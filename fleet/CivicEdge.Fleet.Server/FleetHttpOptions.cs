namespace CivicEdge.Fleet.Server;

/// <summary>The REST API's listener (<c>Fleet:Http</c>).</summary>
public sealed class FleetHttpOptions
{
    public const string Section = "Fleet:Http";

    /// <summary>
    /// Where the REST API listens, e.g. <c>http://127.0.0.1:5080</c>; port 0 lets the system choose. The standard
    /// <c>--urls</c> / <c>ASPNETCORE_URLS</c> setting takes precedence when given.
    /// </summary>
    public string Url { get; set; } = "http://127.0.0.1:5080";
}
