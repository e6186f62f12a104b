namespace CivicEdge.Fleet.Server.Commands;

/// <summary>Commands to gateways and devices (<c>Fleet:Commands</c>). Periods read like <c>10m</c>, <c>36h</c>, <c>7d</c>, <c>30s</c>.</summary>
public sealed class CommandOptions
{
    public const string Section = "Fleet:Commands";

    /// <summary>How long a command waits (queued for an offline gateway, then for its result) when the request names no expiry.</summary>
    public string DefaultExpiry { get; set; } = "10m";

    /// <summary>The longest expiry a request may ask for.</summary>
    public string MaxExpiry { get; set; } = "7d";

    /// <summary>The longest a <c>POST /api/commands?wait=</c> holds the request open for results.</summary>
    public string MaxWait { get; set; } = "60s";

    /// <summary>The most targets one request may reach (a query matching more is refused, not cut).</summary>
    public int MaxTargets { get; set; } = 1000;

    /// <summary>A sent command without a result is published again after this long (the gateway runs it once whatever comes).</summary>
    public string ResendAfter { get; set; } = "5s";

    /// <summary>How often open commands are checked for expiry: queued ones become expired, sent ones timed out.</summary>
    public string SweepInterval { get; set; } = "1s";

    /// <summary>Valid only after validation.</summary>
    public TimeSpan DefaultExpiryPeriod => Period(DefaultExpiry, TimeSpan.FromMinutes(10));

    /// <summary>Valid only after validation.</summary>
    public TimeSpan MaxExpiryPeriod => Period(MaxExpiry, TimeSpan.FromDays(7));

    /// <summary>Valid only after validation.</summary>
    public TimeSpan MaxWaitPeriod => Period(MaxWait, TimeSpan.FromSeconds(60));

    /// <summary>Valid only after validation.</summary>
    public TimeSpan ResendAfterPeriod => Period(ResendAfter, TimeSpan.FromSeconds(5));

    /// <summary>Valid only after validation.</summary>
    public TimeSpan SweepIntervalPeriod => Period(SweepInterval, TimeSpan.FromSeconds(1));

    private static TimeSpan Period(string text, TimeSpan fallback) =>
        RetentionOptions.TryParsePeriod(text, out var period) ? period : fallback;
}
