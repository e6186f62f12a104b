using System.Globalization;

namespace CivicEdge.Simulators.Demo;

/// <summary>
/// The demo's OTA act: once the street is up, a release key made at start signs a small pole firmware image, the image
/// is uploaded and a campaign rolls it out over the street's poles in waves (a canary pole, then half the street, then
/// all of it) with a short soak and health window. The gateway relays it to each pole over the street's bus (Modbus
/// function 21). One pole fails the new image's boot health check and rolls back, which passes the campaign's failure
/// threshold: the campaign halts by itself, and the operator retries or cancels it.
/// </summary>
public static class DemoRollout
{
    public const string CampaignId = "street-poles-1.1.0";
    public const string Product = "pole-controller";
    public const string Model = "civicedge-slc1";

    /// <summary>What the street's poles run at start, and what the campaign brings.</summary>
    public const string FactoryVersion = "1.0.0";
    public const string NewVersion = "1.1.0";

    /// <summary>The street pole (unit) on which the new image fails its boot health check.</summary>
    public const int RejectingPole = 6;

    /// <summary>The image's size: small, so that each pole is fed in a few seconds on the shared bus.</summary>
    public const int ImageBytes = 16 * 1024;

    /// <summary>A canary pole, half the street, the whole street.</summary>
    public static IReadOnlyList<string> Waves { get; } = ["1", "50%", "100%"];

    /// <summary>The share of a wave that may fail: one pole of a wave of four or fewer is above it.</summary>
    public const double FailureThreshold = 0.2;

    public static readonly TimeSpan Soak = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan HealthWindow = TimeSpan.FromSeconds(10);

    public static string ArtifactId => $"{Product}@{NewVersion}";

    /// <summary>The release key pair's name stem in the data folder: <c>release.key.pem</c> and <c>release.pub.pem</c>.</summary>
    public static string KeyName => "release";

    public static string PrivateKeyPath(DemoOptions options) => Path.Combine(Folder(options), KeyName + ".key.pem");

    public static string PublicKeyPath(DemoOptions options) => Path.Combine(Folder(options), KeyName + ".pub.pem");

    public static string ImagePath(DemoOptions options) => Path.Combine(Folder(options), $"{Product}-{NewVersion}.bin");

    public static string PackagePath(DemoOptions options) => Path.Combine(Folder(options), $"{Product}-{NewVersion}.cota");

    /// <summary><c>civic</c> arguments that make the release key pair.</summary>
    public static string[] Keygen(DemoOptions options) => ["ota", "keygen", KeyName, "--dir", Folder(options)];

    /// <summary><c>civic</c> arguments that sign the image into a package.</summary>
    public static string[] Sign(DemoOptions options) =>
    [
        "ota", "sign", ImagePath(options), "--key", PrivateKeyPath(options), "--product", Product, "--kind", "firmware", "--model", Model,
        "--version", NewVersion, "--notes", "demo street release", "--out", PackagePath(options),
    ];

    /// <summary><c>civic</c> arguments that upload the package (the fleet's address and key are added by the caller).</summary>
    public static string[] Upload(DemoOptions options) => ["ota", "upload", PackagePath(options)];

    /// <summary><c>civic</c> arguments that create the campaign over the street's poles.</summary>
    public static string[] CreateCampaign() =>
    [
        "ota", "campaign", "create", CampaignId, "--artifact", ArtifactId, "--model", Model,
        .. Waves.SelectMany(wave => new[] { "--wave", wave }),
        "--soak", Soak.ToString("c", CultureInfo.InvariantCulture),
        "--health-window", HealthWindow.ToString("c", CultureInfo.InvariantCulture),
        "--threshold", FailureThreshold.ToString(CultureInfo.InvariantCulture),
    ];

    private static string Folder(DemoOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Path.Combine(options.DataDirectory, "ota");
    }
}
