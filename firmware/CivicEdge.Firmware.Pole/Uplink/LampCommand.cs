using CivicEdge.Firmware.Core.Uplink;

namespace CivicEdge.Firmware.Pole.Uplink;

/// <summary>
/// The fleet's lamp commands: <c>dim</c> <c>{"level":0..100}</c>, <c>switch</c> <c>{"on":true|false}</c> and
/// <c>release</c> (the schedule decides again). A command holds for the configured override time, as one from the
/// gateway over Modbus does.
/// </summary>
public sealed class LampCommand : ICommandHandler
{
    /// <summary>The command names the controller registers.</summary>
    public const string Dim = "dim";

    public const string Switch = "switch";

    public const string Release = "release";

    private readonly PoleController _controller;
    private readonly string _name;

    public LampCommand(PoleController controller, string name)
    {
        _controller = controller;
        _name = name;
    }

    public void Execute(CommandArguments arguments, CommandResponse response)
    {
        if (_name == Dim)
        {
            double level;
            if (!arguments.TryGetNumber("level", out level) || level < 0 || level > 100 || level != (int)level)
            {
                var found = arguments.Find("level");
                response.Reject("dim: expected argument level, a whole number 0 to 100; found " + (found == null ? "none" : found.Describe()));
                return;
            }

            _controller.Command((int)level);
            response.Number("level", level);
            response.Succeed();
            return;
        }

        if (_name == Switch)
        {
            bool on;
            if (!arguments.TryGetBoolean("on", out on))
            {
                var found = arguments.Find("on");
                response.Reject("switch: expected argument on, true or false; found " + (found == null ? "none" : found.Describe()));
                return;
            }

            var level = _controller.SetPoint;
            _controller.Command(on ? (level > 0 ? level : 100) : 0);
            response.Flag("on", on);
            response.Succeed();
            return;
        }

        _controller.ReleaseCommand();
        response.Succeed();
    }
}
