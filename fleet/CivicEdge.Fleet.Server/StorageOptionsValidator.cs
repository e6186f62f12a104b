using CivicEdge.Fleet.Storage.PostgreSql;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CivicEdge.Fleet.Server;

/// <summary>
/// Checks <c>Fleet:Storage</c> and <c>Fleet:Retention</c> at start-up, naming the key, what was expected and what was
/// found. A connection string is never repeated in a message: it may hold a password.
/// </summary>
internal sealed class StorageOptionsValidator : IValidateOptions<FleetStorageOptions>, IValidateOptions<RetentionOptions>
{
    private const int MaxPartitionsAhead = 31;

    public ValidateOptionsResult Validate(string? name, FleetStorageOptions options)
    {
        const string at = FleetStorageOptions.Section;
        var failures = new List<string>();
        if (string.Equals(options.Provider, FleetStorageOptions.LiteDb, StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrWhiteSpace(options.Path))
                failures.Add($"{at}:Path: expected the path of the fleet's LiteDB file, found '{options.Path}'");
        }
        else if (options.IsPostgreSql)
        {
            if (ConnectionStringProblem(options.ConnectionString) is { } problem)
                failures.Add($"{at}:ConnectionString: expected an Npgsql connection string such as Host=db.example;Database=civicedge;Username=fleet;Password=…, {problem}");
            if (!PostgreSqlFleetStoreOptions.IsValidSchema(options.Schema))
                failures.Add($"{at}:Schema: expected a lower-case SQL identifier such as civicedge (letters, digits, '_'; at most 63), found '{options.Schema}'");
            if (options.PartitionsAhead is < 0 or > MaxPartitionsAhead)
                failures.Add($"{at}:PartitionsAhead: expected 0 to {MaxPartitionsAhead} days, found {options.PartitionsAhead}");
        }
        else
        {
            failures.Add($"{at}:Provider: expected {FleetStorageOptions.LiteDb} or {FleetStorageOptions.PostgreSql}, found '{options.Provider}'");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public ValidateOptionsResult Validate(string? name, RetentionOptions options)
    {
        const string at = RetentionOptions.Section;
        var failures = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.Telemetry) && options.TelemetryPeriod is null)
            failures.Add($"{at}:Telemetry: expected {RetentionOptions.ExpectedPeriod}, found '{options.Telemetry}'");
        if (!string.IsNullOrWhiteSpace(options.Events) && options.EventsPeriod is null)
            failures.Add($"{at}:Events: expected {RetentionOptions.ExpectedPeriod}, found '{options.Events}'");
        if (!RetentionOptions.TryParsePeriod(options.Interval, out _))
            failures.Add($"{at}:Interval: expected a period such as 1h or 15m, found '{options.Interval}'");

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Why the connection string cannot be used, or null.</summary>
    private static string? ConnectionStringProblem(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
            return "found none (it is required with Fleet:Storage:Provider=postgresql)";

        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            return string.IsNullOrWhiteSpace(builder.Host) ? "found one without Host" : null;
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            return $"found one that cannot be read: {exception.Message}";
        }
    }
}
