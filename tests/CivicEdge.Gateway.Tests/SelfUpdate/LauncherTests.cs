using System.Diagnostics;
using System.Runtime.Versioning;
using CivicEdge.Gateway.SelfUpdate;
using CivicEdge.Gateway.Tests.Support;

namespace CivicEdge.Gateway.Tests.SelfUpdate;

/// <summary>
/// gateway/deploy/civicedge-gateway-launcher, run by /bin/sh as systemd would, over a real install folder whose slots
/// hold small scripts standing in for a good and a broken gateway.
/// </summary>
[Category("Integration")]
[UnsupportedOSPlatform("windows")]
public sealed class LauncherTests
{
    private TempDirectory _directory = null!;
    private InstallLayout _layout = null!;
    private UpdateStateFile _state = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = new TempDirectory();
        _layout = new InstallLayout(_directory.Path);
        File.Copy(LauncherSource(), Path.Combine(_layout.Root, "civicedge-gateway-launcher"));
        Slot("a", "echo \"gateway 0.1.0 $*\"");
        Slot("b", "echo \"gateway 0.2.0 $*\"");
        File.CreateSymbolicLink(_layout.Current, "slots/a");
        _state = new UpdateStateFile(_layout.StateFile);
    }

    [TearDown]
    public void TearDown() => _directory.Dispose();

    [Test]
    public async Task Without_an_update_it_runs_the_current_slot_with_its_arguments()
    {
        var (exit, output, _) = await LaunchAsync();

        Assert.That((exit, output), Is.EqualTo((0, "gateway 0.1.0 --config /etc/civicedge/gateway.json")));
    }

    [Test]
    public async Task After_a_switch_it_starts_the_new_slot_as_trial_boot_one()
    {
        _state.Write(Switched());
        File.Delete(_layout.Current);
        File.CreateSymbolicLink(_layout.Current, "slots/b");

        var (_, output, _) = await LaunchAsync();

        Assert.That(output, Does.StartWith("gateway 0.2.0"));
        var state = _state.Read()!;
        Assert.That((state.Step, state.TrialBoots, state.Sequence), Is.EqualTo((UpdateStep.Trial, 1, 4L)), "a trial boot is not a report");
    }

    [Test]
    public async Task A_power_cut_between_the_state_write_and_the_link_rename_is_completed_by_the_launcher()
    {
        _state.Write(Switched());

        var (_, output, _) = await LaunchAsync();

        Assert.That(output, Does.StartWith("gateway 0.2.0"));
        Assert.That(_layout.ActiveSlot(), Is.EqualTo("b"));
    }

    [Test]
    public async Task A_new_version_that_crashes_at_every_start_is_rolled_back_after_its_allowed_starts()
    {
        Slot("b", "echo 'Unhandled exception' >&2; exit 134");
        _state.Write(Switched());

        var exits = new List<int>();
        for (var start = 0; start < 3; start++)
            exits.Add((await LaunchAsync()).Exit);
        var (exit, output, error) = await LaunchAsync();

        Assert.That(exits, Is.EqualTo(new[] { 134, 134, 134 }));
        Assert.That((exit, output), Is.EqualTo((0, "gateway 0.1.0 --config /etc/civicedge/gateway.json")));
        Assert.That(error, Does.Contain("rolling back to slot a: version 0.2.0 did not confirm in 3 starts"));
        Assert.That(_layout.ActiveSlot(), Is.EqualTo("a"));
        var state = _state.Read()!;
        Assert.That((state.Step, state.Reason, state.Sequence, state.Reported), Is.EqualTo((UpdateStep.RolledBack, "version 0.2.0 did not confirm in 3 starts", 5L, 4L)),
            "the rollback is numbered as the next report, for the previous version to send");
    }

    [Test]
    public async Task A_new_version_past_its_deadline_is_rolled_back_at_the_next_start()
    {
        _state.Write(Switched() with { Step = UpdateStep.Trial, TrialBoots = 1, TrialDeadline = DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeSeconds() });
        File.Delete(_layout.Current);
        File.CreateSymbolicLink(_layout.Current, "slots/b");

        var (_, output, _) = await LaunchAsync();

        Assert.That(output, Does.StartWith("gateway 0.1.0"));
        Assert.That(_state.Read()!.Reason, Does.StartWith("version 0.2.0 did not confirm by its deadline ("));
    }

    [Test]
    public async Task A_confirmed_or_rolled_back_update_leaves_the_slot_alone()
    {
        _state.Write(Switched() with { Step = UpdateStep.Confirmed });

        var (_, output, _) = await LaunchAsync();

        Assert.That(output, Does.StartWith("gateway 0.1.0"));
        Assert.That(_state.Read()!.Step, Is.EqualTo(UpdateStep.Confirmed));
    }

    [Test]
    public async Task An_install_without_slots_is_refused_saying_what_is_missing()
    {
        File.Delete(_layout.Current);

        var (exit, _, error) = await LaunchAsync();

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(error, Does.Contain($"expected {_layout.Root}/current to be a symbolic link to slots/a or slots/b, found none"));
    }

    private static UpdateState Switched() => UpdateStateTests.Sample(UpdateStep.Switched) with
    {
        FromSlot = "a",
        ToSlot = "b",
        TrialBoots = 0,
        MaxTrialBoots = 3,
        TrialDeadline = DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds(),
        Sequence = 4,
        Reported = 4,
        Reason = null,
    };

    private void Slot(string name, string body)
    {
        var folder = Directory.CreateDirectory(_layout.Slot(name)).FullName;
        var executable = Path.Combine(folder, InstallLayout.Executable);
        File.WriteAllText(executable, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(executable, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private async Task<(int Exit, string Output, string Error)> LaunchAsync()
    {
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(_layout.Root, "civicedge-gateway-launcher"));
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add("/etc/civicedge/gateway.json");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(Wait.Limit);
        return (process.ExitCode, (await output).Trim(), await error);
    }

    internal static string LauncherSource()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CivicEdge.slnx")))
                return Path.Combine(dir.FullName, "gateway", "deploy", "civicedge-gateway-launcher");
        }
        throw new InvalidOperationException("No CivicEdge.slnx above the test directory.");
    }
}
