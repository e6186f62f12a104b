using CivicEdge.Firmware.Core.Hal;
using CivicEdge.Firmware.Pole.Lighting;
using CivicEdge.Firmware.Pole.Settings;

namespace CivicEdge.Firmware.Pole.Diagnostics;

/// <summary>
/// Judges the lamp and its relay from the measured current. A lamp is judged only once its relay has been closed for
/// the ignition delay (an HID lamp takes minutes to reach full current); a relay is judged once it has settled.
/// While a condition cannot be judged (lamp failure with the relay open) its state holds, so a failed lamp is not
/// cleared each morning and raised again each evening.
/// </summary>
public sealed class LampMonitor
{
    private const int RaiseMilliseconds = 10000;
    private const int ClearMilliseconds = 10000;
    private const int RelaySettleMilliseconds = 2000;

    private readonly PoleSettings _settings;
    private readonly IDigitalInput _relayFeedback;
    private readonly HeldCondition _lampFailure = new HeldCondition(RaiseMilliseconds, ClearMilliseconds, false);
    private readonly HeldCondition _relayFault = new HeldCondition(RaiseMilliseconds, ClearMilliseconds, false);

    /// <param name="settings">The thresholds and delays.</param>
    /// <param name="relayFeedback">The relay's auxiliary contact (high = closed), or null if the board has none.</param>
    public LampMonitor(PoleSettings settings, IDigitalInput relayFeedback)
    {
        _settings = settings;
        _relayFeedback = relayFeedback;
    }

    public bool LampFailed => _lampFailure.IsSet;

    public bool RelayFaulty => _relayFault.IsSet;

    /// <summary>Judges this pass; returns which conditions changed through the two flags.</summary>
    public void Update(long uptimeMilliseconds, LampOutput output, double currentRms, out bool lampFailureChanged, out bool relayFaultChanged)
    {
        lampFailureChanged = false;
        relayFaultChanged = false;
        var relayOn = output.RelayOn;
        var drawsCurrent = currentRms >= _settings.LampCurrentThreshold;
        var sinceSwitch = uptimeMilliseconds - (relayOn ? output.RelayClosedAt : output.RelayOpenedAt);
        var settled = sinceSwitch >= RelaySettleMilliseconds;

        if (relayOn && sinceSwitch >= _settings.IgnitionDelaySeconds * 1000L)
        {
            lampFailureChanged = _lampFailure.Update(!drawsCurrent, uptimeMilliseconds);
        }

        var feedbackDisagrees = _relayFeedback != null && _relayFeedback.Read() != relayOn;
        if (settled && !relayOn)
        {
            relayFaultChanged = _relayFault.Update(drawsCurrent || feedbackDisagrees, uptimeMilliseconds);
        }
        else if (settled && _relayFeedback != null)
        {
            relayFaultChanged = _relayFault.Update(feedbackDisagrees, uptimeMilliseconds);
        }
    }
}
