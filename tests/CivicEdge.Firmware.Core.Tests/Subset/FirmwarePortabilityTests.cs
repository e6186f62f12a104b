using System.Reflection;
using System.Runtime.Loader;
using CivicEdge.Firmware.Core.Tests.Support;

namespace CivicEdge.Firmware.Core.Tests.Subset;

/// <summary>
/// Every firmware host assembly (firmware/*/*.csproj except the host adapters) is loaded by reflection and checked for
/// the compiler features nanoFramework lacks, which the banned-API analyzer cannot see.
/// </summary>
[TestFixture]
[Category("Unit")]
public sealed class FirmwarePortabilityTests
{
    private static IEnumerable<string> FirmwareProjects() =>
        Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Directory.FullName, "firmware"), "*.csproj", SearchOption.AllDirectories)
            .Where(path => Path.GetRelativePath(Path.Combine(RepositoryRoot.Directory.FullName, "firmware"), path).Count(c => c == Path.DirectorySeparatorChar) == 1)
            .Select(Path.GetFileNameWithoutExtension)
            .Where(name => !name!.EndsWith(".Host", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)!;

    [Test]
    public void The_scan_finds_the_firmware_core()
    {
        // Guards the guard: a layout change that made the scan find nothing would pass every case below vacuously.
        Assert.That(FirmwareProjects(), Does.Contain("CivicEdge.Firmware.Core"));
    }

    [TestCaseSource(nameof(FirmwareProjects))]
    public void A_firmware_assembly_uses_no_compiler_feature_that_nanoFramework_lacks(string project)
    {
        var path = RepositoryRoot.AssemblyOf(project);
        Assert.That(File.Exists(path), Is.True,
            $"Expected the host build of {project} at {path}; build the solution first (./build.sh --target=Build).");

        var context = new AssemblyLoadContext("firmware-" + project, isCollectible: true);
        context.Resolving += (ctx, name) =>
        {
            var sibling = RepositoryRoot.AssemblyOf(name.Name!);
            return File.Exists(sibling) ? ctx.LoadFromAssemblyPath(sibling) : null;
        };
        try
        {
            var assembly = context.LoadFromAssemblyPath(path);

            var violations = SubsetViolations.In(TypesOf(assembly));

            Assert.That(violations, Is.Empty, $"{project} uses what nanoFramework cannot run:\n" + string.Join('\n', violations));
        }
        finally
        {
            context.Unload();
        }
    }

    private static Type[] TypesOf(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            throw new AssertionException($"{assembly.GetName().Name} could not be loaded: " + string.Join("; ", e.LoaderExceptions.Select(x => x?.Message)));
        }
    }
}
