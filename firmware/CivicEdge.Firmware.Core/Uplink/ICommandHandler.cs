namespace CivicEdge.Firmware.Core.Uplink;

/// <summary>Executes one named command (e.g. <c>dim</c>, <c>switch</c>) an app registers with its <see cref="DeviceUplink"/>.</summary>
public interface ICommandHandler
{
    /// <summary>
    /// Executes the command and says how it ended through <paramref name="response"/> (succeeded with a result, failed
    /// or rejected with a reason). Runs on the main loop: a long action is started here and reported by an event.
    /// </summary>
    void Execute(CommandArguments arguments, CommandResponse response);
}
