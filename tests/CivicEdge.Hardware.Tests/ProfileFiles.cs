namespace CivicEdge.Hardware.Tests;

/// <summary>A throw-away directory of profile files for one test.</summary>
internal sealed class ProfileFiles : IDisposable
{
    public ProfileFiles()
    {
        Directory = Path.Combine(Path.GetTempPath(), "civicedge-profiles-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    /// <summary>Writes a file; the text's lines are numbered from 1 as an editor shows them.</summary>
    public string Write(string fileName, string text)
    {
        var path = Path.Combine(Directory, fileName);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
