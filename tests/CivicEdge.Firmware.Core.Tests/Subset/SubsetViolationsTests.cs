namespace CivicEdge.Firmware.Core.Tests.Subset;

/// <summary>The portability check itself finds each feature it looks for, and passes code in the subset.</summary>
[TestFixture]
[Category("Unit")]
public sealed class SubsetViolationsTests
{
    private static IEnumerable<TestCaseData> Offenders()
    {
        yield return new TestCaseData(typeof(GenericBox<>), "GenericBox`1: generic type definition").SetName("A generic class is reported");
        yield return new TestCaseData(typeof(GenericMethod), "GenericMethod.Echo: generic method definition").SetName("A generic method is reported");
        yield return new TestCaseData(typeof(Point), "Point: record").SetName("A record is reported");
        yield return new TestCaseData(typeof(InitOnly), "InitOnly.Value: init-only setter").SetName("An init-only setter is reported");
        yield return new TestCaseData(typeof(Asynchronous), "Asynchronous.RunAsync: async method").SetName("An async method is reported");
        yield return new TestCaseData(typeof(Grid), "Grid._cells (field): multidimensional array").SetName("A multidimensional array field is reported");
        yield return new TestCaseData(typeof(GridTaker), "GridTaker.Sum (parameter cells): multidimensional array").SetName("A multidimensional array parameter is reported");
    }

    [TestCaseSource(nameof(Offenders))]
    public void The_check_names_the_member_and_what_nanoFramework_lacks(Type offender, string expected)
    {
        var violations = SubsetViolations.In([offender]);

        Assert.That(violations, Has.Some.Contains(expected));
    }

    [Test]
    public void Code_in_the_subset_passes_the_check()
    {
        Assert.That(SubsetViolations.In([typeof(InSubset)]), Is.Empty);
    }

    private sealed class GenericBox<T>
    {
        public T? Value { get; set; }
    }

    private static class GenericMethod
    {
        public static T Echo<T>(T value) => value;
    }

    private sealed record Point(int X, int Y);

    private sealed class InitOnly
    {
        public int Value { get; init; }
    }

    private sealed class Asynchronous
    {
        public static async Task RunAsync() => await Task.Yield();
    }

    private sealed class Grid
    {
        private readonly int[,] _cells = new int[2, 2];

        public int Corner => _cells[0, 0];
    }

    private static class GridTaker
    {
        public static int Sum(int[,] cells) => cells.Length;
    }

    private sealed class InSubset
    {
        private readonly int[][] _rows = [new int[2], new int[2]];

        public int Count { get; set; }

        public int First => _rows[0][0];

        public int Add(int value) => Count += value;
    }
}
