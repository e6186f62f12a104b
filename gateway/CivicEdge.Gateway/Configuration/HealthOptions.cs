namespace CivicEdge.Gateway.Configuration;

/// <summary>The <c>Health</c> section: how often the gateway reports its health and when a field device is not ok.</summary>
public sealed class HealthOptions
{
    public const string SectionName = "Health";

    /// <summary>How often the health report is published on <c>civic/v1/{id}/health</c>.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The span over which error rates are measured.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Polls in a row without an answer after which a device is failed (before that, degraded).</summary>
    public int FailedAfterUnansweredPolls { get; set; } = 3;

    /// <summary>The share of requests in the window that may time out (or fail on the link) before a device is degraded.</summary>
    public double MaxTimeoutRate { get; set; } = 0.05;

    /// <summary>The share of answers in the window that may arrive damaged before a device is degraded.</summary>
    public double MaxCrcErrorRate { get; set; } = 0.01;

    /// <summary>The share of requests in the window that may get an exception response before a device is degraded.</summary>
    public double MaxExceptionRate { get; set; }
}
