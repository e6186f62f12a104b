namespace CivicEdge.Hardware.Tests;

[Category("Unit")]
public sealed class ProfileDirectoryTests
{
    private ProfileFiles _tree = null!;

    [SetUp]
    public void CreateTree() => _tree = new ProfileFiles();

    [TearDown]
    public void DeleteTree() => _tree.Dispose();

    [Test]
    public void The_profiles_directory_is_found_above_a_nested_start_directory()
    {
        var profiles = Directory.CreateDirectory(Path.Combine(_tree.Directory, "hardware", "profiles")).FullName;
        var nested = Directory.CreateDirectory(Path.Combine(_tree.Directory, "artifacts", "bin", "civicsim", "debug")).FullName;

        Assert.That(ProfileDirectory.FindAbove([nested]), Is.EqualTo(profiles));
    }

    [Test]
    public void Later_start_directories_are_tried_when_the_first_has_none_above_it()
    {
        var elsewhere = Directory.CreateDirectory(Path.Combine(_tree.Directory, "elsewhere")).FullName;
        var repository = Directory.CreateDirectory(Path.Combine(_tree.Directory, "repository", "hardware", "profiles")).Parent!.Parent!.FullName;

        Assert.That(ProfileDirectory.FindAbove([elsewhere, repository]), Is.EqualTo(Path.Combine(repository, "hardware", "profiles")));
    }

    [Test]
    public void No_profiles_directory_above_any_start_gives_null()
    {
        Assert.That(ProfileDirectory.FindAbove([_tree.Directory]), Is.Null);
    }
}
