using System.Diagnostics;
using CivicEdge.Firmware.Core.Tests.Support;

namespace CivicEdge.Firmware.Core.Tests.Subset;

/// <summary>
/// The acceptance point of the firmware: code that uses what nanoFramework lacks does not build on the host either.
/// A throw-away firmware project is written inside firmware/ (so firmware/Directory.Build.props and its banned-API list
/// apply, as to every firmware project) under an <c>obj</c> folder (which neither git nor the architecture scan sees),
/// built once with a LINQ call and once without it, and deleted.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class BannedApiBuildTests
{
    private const string LinqLine = "    public static int CountOf(int[] values) => System.Linq.Enumerable.Count(values);";

    private static readonly string Source = string.Join('\n',
        "namespace CivicEdge.Firmware.SubsetProbe;",
        "",
        "public static class Probe",
        "{",
        "    public static int Largest(int[] values)",
        "    {",
        "        int largest = int.MinValue;",
        "        for (int i = 0; i < values.Length; i++)",
        "        {",
        "            if (values[i] > largest)",
        "            {",
        "                largest = values[i];",
        "            }",
        "        }",
        "",
        "        return largest;",
        "    }",
        "",
        LinqLine,
        "}",
        "");

    private string _probe = null!;

    [SetUp]
    public void WriteProbeProject()
    {
        _probe = Path.Combine(RepositoryRoot.Directory.FullName, "firmware", "obj", "subset-probe-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_probe);
        File.WriteAllText(Path.Combine(_probe, "CivicEdge.Firmware.SubsetProbe.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
            </Project>
            """);
    }

    [TearDown]
    public void DeleteProbeProject()
    {
        Directory.Delete(_probe, recursive: true);
        var obj = Path.GetDirectoryName(_probe)!;
        if (Directory.Exists(obj) && !Directory.EnumerateFileSystemEntries(obj).Any())
            Directory.Delete(obj);
    }

    [Test]
    public async Task A_firmware_project_that_calls_LINQ_fails_to_build_with_RS0030_and_builds_once_the_call_is_gone()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var file = Path.Combine(_probe, "Probe.cs");

        await File.WriteAllTextAsync(file, Source, timeout.Token);
        var withLinq = await BuildAsync(timeout.Token);
        await File.WriteAllTextAsync(file, Source.Replace(LinqLine + "\n", "", StringComparison.Ordinal), timeout.Token);
        var withoutLinq = await BuildAsync(timeout.Token);

        Assert.Multiple(() =>
        {
            Assert.That(withLinq.ExitCode, Is.Not.Zero, withLinq.Output);
            Assert.That(withLinq.Output, Does.Match(@"Probe\.cs\(19,\d+\): error RS0030: .*System\.Linq"), withLinq.Output);
            Assert.That(withoutLinq.ExitCode, Is.Zero, "the control build must succeed, or the failure above proves nothing:\n" + withoutLinq.Output);
        });
    }

    private async Task<(int ExitCode, string Output)> BuildAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                "build", Path.Combine(_probe, "CivicEdge.Firmware.SubsetProbe.csproj"), "-c", "Release", "-nologo",
                "--disable-build-servers", "-p:ArtifactsPath=" + Path.Combine(_probe, "artifacts"),
            },
            WorkingDirectory = _probe,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // The test host runs under MSBuild's own environment; a nested build must start from a clean one.
        foreach (var name in start.Environment.Keys.Where(key => key.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(name);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";

        using var build = Process.Start(start)!;
        var output = build.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = build.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await build.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            build.Kill(entireProcessTree: true);
            throw;
        }

        return (build.ExitCode, await output + await errors);
    }
}
