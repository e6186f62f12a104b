using System.Xml.Linq;

namespace CivicEdge.Architecture.Tests;

/// <summary>The projects of the repository as their project files declare them.</summary>
internal static class RepositoryLayout
{
    public static DirectoryInfo Root { get; } = FindRoot();

    public static IReadOnlyList<ProjectFile> Projects { get; } = LoadProjects();

    private static DirectoryInfo FindRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CivicEdge.slnx")))
                return dir;
        }
        throw new InvalidOperationException($"No CivicEdge.slnx above {TestContext.CurrentContext.TestDirectory}.");
    }

    private static List<ProjectFile> LoadProjects()
    {
        var skip = new[] { "artifacts", ".git", "bin", "obj" };
        return Directory.EnumerateFiles(Root.FullName, "*.csproj", SearchOption.AllDirectories)
            .Where(path => !Path.GetRelativePath(Root.FullName, path).Split(Path.DirectorySeparatorChar).Any(skip.Contains))
            .Select(ProjectFile.Load)
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ToList();
    }
}

public sealed record ProjectFile(string Name, string RelativePath, IReadOnlyList<string> ProjectReferences, IReadOnlyList<string> PackageReferences)
{
    public bool IsTest => Name.EndsWith(".Tests", StringComparison.Ordinal) || Name.EndsWith(".Benchmarks", StringComparison.Ordinal);

    public static ProjectFile Load(string path)
    {
        var xml = XDocument.Load(path);
        var references = xml.Descendants("ProjectReference")
            .Select(e => Path.GetFileNameWithoutExtension(e.Attribute("Include")!.Value.Replace('\\', '/')))
            .ToList();
        var packages = xml.Descendants("PackageReference").Select(e => e.Attribute("Include")!.Value).ToList();
        return new ProjectFile(
            Path.GetFileNameWithoutExtension(path),
            Path.GetRelativePath(RepositoryLayout.Root.FullName, path).Replace('\\', '/'),
            references,
            packages);
    }

    public override string ToString() => Name;
}
