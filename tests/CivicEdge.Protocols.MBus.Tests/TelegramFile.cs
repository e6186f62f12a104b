namespace CivicEdge.Protocols.MBus.Tests;

/// <summary>A telegram of the sample set: a long frame written as hex bytes in a file, with its name for test output.</summary>
public sealed record TelegramFile(string Name, string Path)
{
    public static string Root { get; } = System.IO.Path.Combine(TestContext.CurrentContext.TestDirectory, "testdata", "mbus");

    public static IEnumerable<TelegramFile> In(string folder) =>
        Directory.EnumerateFiles(System.IO.Path.Combine(Root, folder), "*.hex")
            .Order(StringComparer.Ordinal)
            .Select(path => new TelegramFile(System.IO.Path.GetFileNameWithoutExtension(path), path));

    public byte[] Bytes() => Hex.Bytes(File.ReadAllText(Path));

    public override string ToString() => Name;
}
