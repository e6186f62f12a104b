using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CivicEdge.Fleet.Core.Security;
using Microsoft.Extensions.Options;

namespace CivicEdge.Fleet.Server.Security;

/// <summary>
/// The fleet's security folder (<see cref="SecurityOptions.Path"/>, by default <c>&lt;store&gt;.security</c> beside the
/// fleet store): the fleet CA, created on first use; the fleet's own MQTT secret, generated at first start; and the
/// embedded broker's TLS certificate, issued by the CA and renewed when its names change or it nears expiry. Private
/// keys and the secret are written readable by the fleet's user only.
/// </summary>
internal sealed partial class FleetSecurityFiles : IDeviceCertificateAuthority, IDisposable
{
    private const string CaCertificateFile = "ca.crt.pem";
    private const string CaKeyFile = "ca.key.pem";
    private const string FleetSecretFile = "fleet-mqtt.secret";
    private const string BrokerCertificateFile = "broker.crt.pem";
    private const string BrokerKeyFile = "broker.key.pem";

    private static readonly TimeSpan CaValidity = TimeSpan.FromDays(3650);

    /// <summary>398 days, the longest TLS server certificate validity browsers and most TLS stacks accept.</summary>
    private static readonly TimeSpan ServerCertificateValidity = TimeSpan.FromDays(397);

    private static readonly TimeSpan RenewBefore = TimeSpan.FromDays(30);

    private readonly Lock _gate = new();
    private readonly SecurityOptions _security;
    private readonly BrokerSecurityOptions _broker;
    private readonly BrokerOptions _endpoint;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<FleetSecurityFiles> _logger;
    private FleetCertificateAuthority? _authority;
    private FleetClientIdentity? _fleetIdentity;

    public FleetSecurityFiles(
        IOptions<SecurityOptions> security,
        IOptions<FleetStorageOptions> store,
        IOptions<BrokerSecurityOptions> broker,
        IOptions<BrokerOptions> endpoint,
        TimeProvider timeProvider,
        ILogger<FleetSecurityFiles> logger)
    {
        _security = security.Value;
        _broker = broker.Value;
        _endpoint = endpoint.Value;
        _timeProvider = timeProvider;
        _logger = logger;
        Folder = ResolveFolder(_security.Path, store.Value.Path);
    }

    /// <summary>The security folder's full path.</summary>
    public string Folder { get; }

    /// <summary>The fleet CA, loaded or created at first use.</summary>
    public FleetCertificateAuthority Authority
    {
        get
        {
            lock (_gate)
                return _authority ??= LoadOrCreateAuthority();
        }
    }

    /// <summary>The fleet's own MQTT user and password.</summary>
    public FleetClientIdentity FleetIdentity
    {
        get
        {
            lock (_gate)
                return _fleetIdentity ??= new FleetClientIdentity(_broker.Username, ReadOrCreateFleetSecret());
        }
    }

    public string CertificatePem => Authority.CertificatePem;

    /// <summary>The folder a configured path names, or <c>&lt;store file without extension&gt;.security</c> beside the store.</summary>
    public static string ResolveFolder(string configured, string storePath) =>
        Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? Path.ChangeExtension(Path.GetFullPath(storePath), null) + ".security" : configured);

    public DeviceCertificate IssueDeviceCertificate(string deviceCode, string? signingRequestPem, DateTimeOffset notBefore, DateTimeOffset notAfter) =>
        Authority.IssueDeviceCertificate(deviceCode, signingRequestPem, notBefore, notAfter);

    public bool Recognises(X509Certificate2 certificate, DateTimeOffset at, out string reason) =>
        Authority.Recognises(certificate, at, out reason);

    /// <summary>
    /// The embedded broker's TLS certificate with its key: the configured files, or the one the fleet CA issued for the
    /// configured names (issued anew when missing, for other names, of another CA, or within 30 days of expiry).
    /// </summary>
    public X509Certificate2 LoadBrokerCertificate()
    {
        var tls = _broker.Tls;
        if (!string.IsNullOrWhiteSpace(tls.CertificateFile))
            return Persisted(X509Certificate2.CreateFromPemFile(tls.CertificateFile, tls.KeyFile));

        lock (_gate)
        {
            var names = ServerNames();
            var certificatePath = Path.Combine(Folder, BrokerCertificateFile);
            var keyPath = Path.Combine(Folder, BrokerKeyFile);
            var now = _timeProvider.GetUtcNow();
            if (File.Exists(certificatePath) && File.Exists(keyPath))
            {
                using var held = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
                if (IsCurrent(held, names, now))
                    return Persisted(held);
            }

            _authority ??= LoadOrCreateAuthority();
            var (certificatePem, keyPem) = _authority.IssueServerCertificate(names, now, now + ServerCertificateValidity);
            WritePrivate(keyPath, keyPem);
            File.WriteAllText(certificatePath, certificatePem);
            LogBrokerCertificate(_logger, string.Join(", ", names), certificatePath);
            using var issued = X509Certificate2.CreateFromPem(certificatePem, keyPem);
            return Persisted(issued);
        }
    }

    /// <summary>The names the broker's certificate must carry.</summary>
    public IReadOnlyList<string> ServerNames()
    {
        if (!string.IsNullOrWhiteSpace(_broker.Tls.ServerNames))
            return _broker.Tls.ServerNames.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

        var names = new List<string> { _endpoint.Host, "localhost", "127.0.0.1", Environment.MachineName };
        if (IPAddress.TryParse(_endpoint.BindAddress, out var bound) && !bound.Equals(IPAddress.Any) && !bound.Equals(IPAddress.IPv6Any))
            names.Add(bound.ToString());
        return names.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    public void Dispose() => _authority?.Dispose();

    private bool IsCurrent(X509Certificate2 certificate, IReadOnlyList<string> names, DateTimeOffset now)
    {
        if (certificate.NotAfter.ToUniversalTime() < (now + RenewBefore).UtcDateTime)
            return false;
        _authority ??= LoadOrCreateAuthority();
        if (!certificate.IssuerName.RawData.AsSpan().SequenceEqual(_authority.Certificate.SubjectName.RawData))
            return false;

        var alternative = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        if (alternative is null)
            return false;
        var carried = alternative.EnumerateDnsNames().Concat(alternative.EnumerateIPAddresses().Select(address => address.ToString()))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        return names.All(carried.Contains);
    }

    private FleetCertificateAuthority LoadOrCreateAuthority()
    {
        var certificatePath = Path.Combine(Folder, CaCertificateFile);
        var keyPath = Path.Combine(Folder, CaKeyFile);
        if (File.Exists(certificatePath) || File.Exists(keyPath))
        {
            try
            {
                return FleetCertificateAuthority.FromPem(File.ReadAllText(certificatePath), File.ReadAllText(keyPath));
            }
            catch (Exception exception) when (exception is CryptographicException or IOException)
            {
                throw new InvalidOperationException(
                    $"{SecurityOptions.Section}:Path: the fleet CA in {Folder} ({CaCertificateFile}, {CaKeyFile}) cannot be read: {exception.Message}. Restore both files from a backup; a new CA would orphan every device certificate.",
                    exception);
            }
        }

        CreateFolder();
        var authority = FleetCertificateAuthority.Create($"CivicEdge fleet CA {DateTime.UtcNow:yyyy-MM-dd} {Convert.ToHexString(RandomNumberGenerator.GetBytes(4))}", _timeProvider.GetUtcNow(), CaValidity);
        WritePrivate(keyPath, authority.ExportPrivateKeyPem());
        File.WriteAllText(certificatePath, authority.CertificatePem);
        LogCaCreated(_logger, certificatePath);
        return authority;
    }

    private string ReadOrCreateFleetSecret()
    {
        if (!string.IsNullOrWhiteSpace(_broker.PasswordFile))
            return FirstLine(_broker.PasswordFile, $"{BrokerOptions.Section}:PasswordFile");

        var path = Path.Combine(Folder, FleetSecretFile);
        if (File.Exists(path))
            return FirstLine(path, $"{SecurityOptions.Section}:Path ({FleetSecretFile})");

        CreateFolder();
        var secret = DeviceSecrets.NewSecret();
        WritePrivate(path, secret + "\n");
        LogFleetSecretCreated(_logger, path);
        return secret;
    }

    private static string FirstLine(string path, string key)
    {
        using var reader = new StreamReader(path);
        var line = reader.ReadLine();
        return string.IsNullOrEmpty(line)
            ? throw new InvalidOperationException($"{key}: expected a password on the first line of {path}, found an empty line")
            : line;
    }

    private void CreateFolder()
    {
        if (!Directory.Exists(Folder))
        {
            if (OperatingSystem.IsWindows())
                Directory.CreateDirectory(Folder);
            else
                Directory.CreateDirectory(Folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>Writes a file readable by the fleet's user only, whole or not at all (a temporary file, then a rename).</summary>
    private void WritePrivate(string path, string text)
    {
        CreateFolder();
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var writer = new StreamWriter(temporary, options))
            writer.Write(text);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>A key read from PEM is ephemeral; SslStream serves a certificate reliably only with a persisted one.</summary>
    private static X509Certificate2 Persisted(X509Certificate2 certificate)
    {
        using (certificate)
            return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), password: null);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Created the fleet CA at {Path}; back up this folder: its key signs every device certificate")]
    private static partial void LogCaCreated(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Generated the fleet's MQTT secret at {Path}")]
    private static partial void LogFleetSecretCreated(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Issued the broker's TLS certificate for {Names} at {Path}")]
    private static partial void LogBrokerCertificate(ILogger logger, string names, string path);
}
