using CivicEdge.Gateway.SelfUpdate;
using CivicEdge.Gateway.Tests.Support;

namespace CivicEdge.Gateway.Tests.SelfUpdate;

[Category("Unit")]
public sealed class UpdateStateTests
{
    internal static UpdateState Sample(UpdateStep step = UpdateStep.Downloading) => new(
        step, "camp-1", "gw-test-01", 2, "civicedge-gateway@0.2.0", "0.2.0", "0.1.0", 1234, new string('a', 64),
        "api/ota/artifacts/civicedge-gateway@0.2.0/payload", "\"abc\"", 1_900_000_000, "a", "b", 1, 3, 1_900_000_100, 4, 3,
        "line one\nline two");

    [Test]
    public void The_state_reads_back_as_it_was_written_with_a_reason_kept_on_one_line()
    {
        var state = Sample();

        var read = UpdateState.Parse(state.Format(), "update.state");

        Assert.That(read, Is.EqualTo(state with { Reason = "line one line two" }));
        Assert.That(state.Format(), Does.Contain("step=downloading\n").And.Contain("reason=line one line two\n"));
    }

    [TestCase(UpdateStep.Switched, "switched")]
    [TestCase(UpdateStep.RolledBack, "rolled-back")]
    [TestCase(UpdateStep.Trial, "trial")]
    public void Steps_are_spelled_as_the_launcher_reads_them(UpdateStep step, string name)
    {
        Assert.That(UpdateState.StepName(step), Is.EqualTo(name));
        Assert.That(UpdateState.Parse(Sample(step).Format(), "f").Step, Is.EqualTo(step));
    }

    [Test]
    public void An_unknown_step_is_refused_naming_the_file_and_what_was_expected()
    {
        var text = Sample().Format().Replace("step=downloading", "step=half-done", StringComparison.Ordinal);

        var error = Assert.Throws<InvalidDataException>(() => UpdateState.Parse(text, "/opt/x/update.state"));

        Assert.That(error!.Message, Does.StartWith("/opt/x/update.state: expected 'step' as one of").And.EndWith("found 'half-done'"));
    }

    [Test]
    public void A_missing_key_and_a_line_without_equals_are_refused_saying_where()
    {
        var missing = Sample().Format().Replace("sequence=4\n", "", StringComparison.Ordinal);
        Assert.That(() => UpdateState.Parse(missing, "f"), Throws.TypeOf<InvalidDataException>().With.Message.EqualTo("f: expected a line 'sequence=…' with a value, found none"));
        Assert.That(() => UpdateState.Parse("step=trial\ngarbage\n", "f"), Throws.TypeOf<InvalidDataException>().With.Message.EqualTo("f: line 2: expected key=value, found 'garbage'"));
    }

    [Test]
    public void The_file_is_replaced_whole_and_leaves_no_temporary_file_behind()
    {
        using var directory = new TempDirectory();
        var file = new UpdateStateFile(directory.File("update.state"));
        Assert.That(file.Read(), Is.Null);

        file.Write(Sample());
        file.Write(Sample(UpdateStep.Verified));

        Assert.That(file.Read()!.Step, Is.EqualTo(UpdateStep.Verified));
        Assert.That(Directory.GetFiles(directory.Path).Select(Path.GetFileName), Is.EqualTo(new[] { "update.state" }));
    }
}
