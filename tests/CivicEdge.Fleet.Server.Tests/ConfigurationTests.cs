using CivicEdge.Fleet.Core;
using Microsoft.Extensions.Configuration;

namespace CivicEdge.Fleet.Server.Tests;

[TestFixture]
[Category("Unit")]
public sealed class ConfigurationTests
{
    private readonly FleetOptionsValidator _validator = new();
    private readonly StorageOptionsValidator _storage = new();

    [Test]
    public void The_short_aliases_set_the_configuration_keys()
    {
        var configuration = new ConfigurationBuilder()
            .AddCommandLine(["--http-url", "http://127.0.0.1:0", "--mqtt-port", "1884", "--db", "/var/lib/civicedge/fleet.db"], FleetCommandLine.SwitchMappings())
            .Build();

        Assert.That(
            (configuration["Fleet:Http:Url"], configuration["Fleet:Broker:Port"], configuration["Fleet:Storage:Path"]),
            Is.EqualTo(("http://127.0.0.1:0", "1884", "/var/lib/civicedge/fleet.db")));
    }

    [TestCase("--help", true)]
    [TestCase("-h", true)]
    [TestCase("--mqtt-port", false)]
    public void Help_is_asked_for_with_the_usual_switches(string arg, bool asks)
    {
        Assert.That(FleetCommandLine.AsksForHelp([arg]), Is.EqualTo(asks));
    }

    [Test]
    public void The_usage_names_every_key_with_its_default_and_the_environment_form()
    {
        var usage = FleetCommandLine.Usage();

        Assert.That(usage, Does.Contain("--http-url").And.Contain("--mqtt-port").And.Contain("--db"));
        Assert.That(usage, Does.Contain("Fleet:Http:Url").And.Contain("(default http://127.0.0.1:5080)"));
        Assert.That(usage, Does.Contain("Fleet:Broker:Embedded").And.Contain("Fleet:Broker:BindAddress"));
        Assert.That(usage, Does.Contain("Fleet:Storage:Path").And.Contain("(default civicedge-fleet.db)"));
        Assert.That(usage, Does.Contain("CIVICEDGE_Fleet__Broker__Port"));
        Assert.That(usage, Does.Contain("Fleet:Storage:Provider").And.Contain("Fleet:Storage:ConnectionString").And.Contain("Fleet:Retention:Telemetry"));
    }

    [Test]
    public void The_defaults_are_valid()
    {
        Assert.That(_validator.Validate(null, new FleetHttpOptions()).Succeeded, Is.True);
        Assert.That(_validator.Validate(null, new BrokerOptions()).Succeeded, Is.True);
        Assert.That(_storage.Validate(null, new FleetStorageOptions()).Succeeded, Is.True);
        Assert.That(_storage.Validate(null, new RetentionOptions()).Succeeded, Is.True);
        Assert.That(_validator.Validate(null, new TelemetryIngestOptions()).Succeeded, Is.True);
    }

    [Test]
    public void A_shared_subscription_is_a_valid_telemetry_filter()
    {
        var options = new BrokerOptions { TelemetrySubscription = "$share/fleet/civic/v1/+/telemetry" };

        Assert.That(_validator.Validate(null, options).Succeeded, Is.True);
    }

    [TestCase("civic/v1/#/telemetry")]
    [TestCase("civic/v1/gw+/telemetry")]
    [TestCase("")]
    public void A_malformed_topic_filter_is_refused_naming_the_key(string filter)
    {
        var result = _validator.Validate(null, new BrokerOptions { TelemetrySubscription = filter });

        Assert.That(result.Failures, Is.EqualTo(new[]
        {
            $"Fleet:Broker:TelemetrySubscription: expected an MQTT topic filter such as civic/v1/+/telemetry, found '{filter}'",
        }));
    }

    [Test]
    public void Every_bad_broker_value_is_reported_at_once()
    {
        var options = new BrokerOptions { Port = 70000, BindAddress = "localhost", MaxReconnectDelay = TimeSpan.Zero };

        var result = _validator.Validate(null, options);

        Assert.That(result.Failures, Is.EqualTo(new[]
        {
            "Fleet:Broker:Port: expected a TCP port from 1 to 65535, found 70000",
            "Fleet:Broker:BindAddress: expected an IPv4 or IPv6 address such as 127.0.0.1 or 0.0.0.0, found 'localhost'",
            "Fleet:Broker:MaxReconnectDelay: expected at least ReconnectDelay (00:00:01), found 00:00:00",
        }));
    }

    [Test]
    public void A_url_that_is_not_http_is_refused()
    {
        var result = _validator.Validate(null, new FleetHttpOptions { Url = "127.0.0.1:5080" });

        Assert.That(result.FailureMessage, Does.StartWith("Fleet:Http:Url: expected an absolute http:// or https:// URL"));
    }

    [TestCase("LiteDB")]
    [TestCase("postgresql")]
    [TestCase("PostgreSQL")]
    public void The_provider_is_named_in_any_case(string provider)
    {
        var options = new FleetStorageOptions { Provider = provider, ConnectionString = "Host=db;Database=civicedge" };

        Assert.That(_storage.Validate(null, options).Succeeded, Is.True);
    }

    [Test]
    public void An_unknown_provider_is_refused_naming_the_key_and_the_choices()
    {
        var result = _storage.Validate(null, new FleetStorageOptions { Provider = "mongodb" });

        Assert.That(result.Failures, Is.EqualTo(new[] { "Fleet:Storage:Provider: expected litedb or postgresql, found 'mongodb'" }));
    }

    [Test]
    public void PostgreSQL_without_a_connection_string_is_refused()
    {
        var result = _storage.Validate(null, new FleetStorageOptions { Provider = "postgresql" });

        Assert.That(result.FailureMessage, Does.StartWith("Fleet:Storage:ConnectionString: expected an Npgsql connection string").And.Contain("found none"));
    }

    [Test]
    public void An_unreadable_connection_string_is_refused_without_repeating_it()
    {
        var result = _storage.Validate(null, new FleetStorageOptions { Provider = "postgresql", ConnectionString = "Host=db;Password=s3cret;Colour=blue" });

        Assert.That(result.FailureMessage, Does.StartWith("Fleet:Storage:ConnectionString:").And.Contain("cannot be read").And.Not.Contain("s3cret"));
    }

    [Test]
    public void Every_bad_postgresql_value_is_reported_at_once()
    {
        var options = new FleetStorageOptions { Provider = "postgresql", ConnectionString = "Database=civicedge", Schema = "Fleet-1", PartitionsAhead = 40 };

        var result = _storage.Validate(null, options);

        Assert.That(result.Failures, Is.EqualTo(new[]
        {
            "Fleet:Storage:ConnectionString: expected an Npgsql connection string such as Host=db.example;Database=civicedge;Username=fleet;Password=…, found one without Host",
            "Fleet:Storage:Schema: expected a lower-case SQL identifier such as civicedge (letters, digits, '_'; at most 63), found 'Fleet-1'",
            "Fleet:Storage:PartitionsAhead: expected 0 to 31 days, found 40",
        }));
    }

    [TestCase("400d", 400 * 24)]
    [TestCase("36h", 36)]
    [TestCase("90m", 1.5)]
    [TestCase("2.00:00:00", 48)]
    public void Retention_periods_are_read_in_days_hours_minutes_or_as_a_time_span(string text, double hours)
    {
        Assert.That(RetentionOptions.TryParsePeriod(text, out var period), Is.True);
        Assert.That(period, Is.EqualTo(TimeSpan.FromHours(hours)));
    }

    [Test]
    public void Bad_retention_periods_are_refused_naming_the_key()
    {
        var result = _storage.Validate(null, new RetentionOptions { Telemetry = "400 days", Events = "0d", Interval = "" });

        Assert.That(result.Failures, Is.EqualTo(new[]
        {
            $"Fleet:Retention:Telemetry: expected {RetentionOptions.ExpectedPeriod}, found '400 days'",
            $"Fleet:Retention:Events: expected {RetentionOptions.ExpectedPeriod}, found '0d'",
            "Fleet:Retention:Interval: expected a period such as 1h or 15m, found ''",
        }));
    }

    [TestCase(0)]
    [TestCase(257)]
    public void An_ingest_concurrency_out_of_range_is_refused_naming_the_key(int concurrency)
    {
        var result = _validator.Validate(null, new TelemetryIngestOptions { Concurrency = concurrency });

        Assert.That(result.Failures, Is.EqualTo(new[] { $"Fleet:Ingest:Concurrency: expected 1 to 256 sources ingested at once, found {concurrency}" }));
    }
}
