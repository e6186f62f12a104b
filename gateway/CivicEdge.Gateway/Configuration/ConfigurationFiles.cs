using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace CivicEdge.Gateway.Configuration;

/// <summary>
/// The local configuration files (<c>appsettings.json</c> beside the program, <c>--config FILE</c>): watched, and read
/// again on demand through the very configuration the gateway started with, so environment variables and command-line
/// switches keep overriding the files as they did at start.
/// </summary>
/// <remarks>
/// The configuration providers' own reload-on-change is not used: on a half-written or vanished file it empties the
/// configuration, which would read as "no devices". Here a file that cannot be read, or that existed at start and is
/// gone, makes the whole change refused and the running configuration stay.
/// </remarks>
public sealed class ConfigurationFiles : IDisposable
{
    /// <summary>How long a file must stay unchanged before it is read: editors write in several steps.</summary>
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromMilliseconds(500);

    private readonly IConfiguration _configuration;
    private readonly TimeProvider _timeProvider;
    private readonly List<WatchedFile> _files;
    private readonly List<IDisposable> _watches = [];
    private readonly Lock _gate = new();
    private readonly Dictionary<string, string?> _bootstrap;
    private ITimer? _quiet;

    public ConfigurationFiles(IConfiguration configuration, TimeProvider timeProvider)
    {
        _configuration = configuration ?? throw new ArgumentNullException(nameof(configuration));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _files = configuration is IConfigurationRoot root
            ? [.. root.Providers.OfType<FileConfigurationProvider>().Select(WatchedFile.Of).OfType<WatchedFile>()]
            : [];
        _bootstrap = Bootstrap();
    }

    /// <summary>The files that hold configuration, as full paths.</summary>
    public IReadOnlyList<string> Paths => [.. _files.Select(f => f.Path)];

    /// <summary>
    /// Calls <paramref name="changed"/> once a watched file has changed and then stayed unchanged for
    /// <see cref="QuietPeriod"/>. Nothing is watched when the configuration has no files.
    /// </summary>
    public void Watch(Action changed)
    {
        ArgumentNullException.ThrowIfNull(changed);
        foreach (var file in _files)
            _watches.Add(ChangeToken.OnChange(() => file.Provider.Watch(file.Name), () => Touched(changed)));
    }

    /// <summary>Reads the <c>Buses</c> and <c>Devices</c> arrays afresh, adding every problem to <paramref name="failures"/>.</summary>
    /// <returns>The options, or null when a file could not be read.</returns>
    public DevicesOptions? ReadDevices(List<string> failures)
    {
        ArgumentNullException.ThrowIfNull(failures);
        var before = failures.Count;
        foreach (var file in _files.Where(f => f.ExistedAtStart && !File.Exists(f.Path)))
            failures.Add($"{file.Path} is gone; expected the configuration file the gateway started with (write it anew to change the configuration).");
        if (failures.Count != before)
            return null;

        if (_configuration is IConfigurationRoot root)
        {
            try
            {
                root.Reload();
            }
            catch (Exception ex) when (ex is InvalidDataException or FileNotFoundException or IOException or FormatException)
            {
                failures.Add(Describe(ex));
                return null;
            }
        }

        var options = new DevicesOptions();
        try
        {
            StrictBinding.BindDevices(_configuration, options);
        }
        catch (OptionsValidationException ex)
        {
            failures.AddRange(ex.Failures);
        }

        return options;
    }

    /// <summary>
    /// The keys read only at start (<c>Gateway:*</c>, <c>Uplink:*</c>, <c>Health:*</c>) whose value differs now from
    /// then; call after <see cref="ReadDevices"/>.
    /// </summary>
    public IReadOnlyList<string> ChangedBootstrapKeys()
    {
        var now = Bootstrap();
        return [.. now.Keys.Union(_bootstrap.Keys, StringComparer.OrdinalIgnoreCase)
            .Where(key => !string.Equals(now.GetValueOrDefault(key), _bootstrap.GetValueOrDefault(key), StringComparison.Ordinal))
            .Order(StringComparer.OrdinalIgnoreCase)];
    }

    public void Dispose()
    {
        foreach (var watch in _watches)
            watch.Dispose();
        lock (_gate)
            _quiet?.Dispose();
    }

    private void Touched(Action changed)
    {
        lock (_gate)
        {
            _quiet?.Dispose();
            _quiet = _timeProvider.CreateTimer(_ => changed(), null, QuietPeriod, Timeout.InfiniteTimeSpan);
        }
    }

    private Dictionary<string, string?> Bootstrap() =>
        new[] { GatewayOptions.SectionName, UplinkOptions.SectionName, HealthOptions.SectionName }
            .SelectMany(section => _configuration.GetSection(section).AsEnumerable())
            .Where(pair => pair.Value is not null)
            .ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.OrdinalIgnoreCase);

    private static string Describe(Exception exception)
    {
        // The JSON provider wraps the parser's message, which holds the line and position.
        var messages = new List<string>();
        for (var current = exception; current is not null; current = current.InnerException)
            messages.Add(current.Message);
        return string.Join(" ", messages);
    }

    private sealed record WatchedFile(IFileProvider Provider, string Name, string Path, bool ExistedAtStart)
    {
        public static WatchedFile? Of(FileConfigurationProvider provider)
        {
            var source = provider.Source;
            if (source.FileProvider is null || string.IsNullOrEmpty(source.Path))
                return null;
            var file = source.FileProvider.GetFileInfo(source.Path);
            return file.PhysicalPath is null ? null : new WatchedFile(source.FileProvider, source.Path, file.PhysicalPath, file.Exists);
        }
    }
}
