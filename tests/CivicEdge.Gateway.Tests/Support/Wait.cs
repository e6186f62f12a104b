namespace CivicEdge.Gateway.Tests.Support;

/// <summary>
/// How long a test waits for something that should happen promptly before it fails instead of hanging. Not a
/// performance bound: a healthy run takes milliseconds.
/// </summary>
internal static class Wait
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails the test after <see cref="Limit"/>.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Limit;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"Gave up waiting: {what}.");
            await Task.Delay(10);
        }
    }
}
