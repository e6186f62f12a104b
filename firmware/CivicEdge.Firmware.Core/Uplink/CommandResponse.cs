using CivicEdge.Firmware.Core.Json;

namespace CivicEdge.Firmware.Core.Uplink;

/// <summary>
/// How a command ended, as its handler says: <see cref="Succeed"/> with result values (e.g. <c>level</c> 40 <c>%</c>),
/// <see cref="Fail"/> when it was tried and did not work, <see cref="Reject"/> when it was refused before anything was
/// tried. Written into the <c>result</c> object of the command result the fleet receives.
/// </summary>
public sealed class CommandResponse
{
    private readonly JsonWriter _result;

    internal CommandResponse(int capacity)
    {
        _result = new JsonWriter(capacity, 2);
    }

    public CommandStatus Status { get; private set; }

    /// <summary>Why it failed or was refused; null on success.</summary>
    public string Reason { get; private set; }

    /// <summary>True once the handler said how the command ended.</summary>
    public bool HasOutcome { get; private set; }

    internal JsonWriter Result
    {
        get { return _result; }
    }

    /// <summary>The command was executed; add result values with <see cref="Number"/>, <see cref="Text"/> and <see cref="Flag"/>.</summary>
    public void Succeed()
    {
        Set(CommandStatus.Succeeded, null);
    }

    /// <summary>The command was tried and did not work (the output could not be set, the sensor did not answer).</summary>
    public void Fail(string reason)
    {
        Set(CommandStatus.Failed, reason);
    }

    /// <summary>The command was refused before anything was tried (argument missing or out of range, not allowed now).</summary>
    public void Reject(string reason)
    {
        Set(CommandStatus.Rejected, reason);
    }

    /// <summary>A number in the result, e.g. the level a lamp now dims to.</summary>
    public void Number(string name, double value)
    {
        _result.Name(name);
        _result.Number(value);
    }

    /// <summary>A text in the result, e.g. a unit.</summary>
    public void Text(string name, string value)
    {
        _result.Name(name);
        _result.String(value);
    }

    /// <summary>A true/false in the result, e.g. whether a relay is on.</summary>
    public void Flag(string name, bool value)
    {
        _result.Name(name);
        _result.Boolean(value);
    }

    internal void Begin()
    {
        Status = CommandStatus.Failed;
        Reason = null;
        HasOutcome = false;
        _result.Reset();
        _result.BeginObject();
    }

    internal void Set(CommandStatus status, string reason)
    {
        Status = status;
        Reason = reason;
        HasOutcome = true;
    }
}
