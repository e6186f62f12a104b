using System.Device.Gpio;
using CivicEdge.Gateway.Configuration;

namespace CivicEdge.Gateway.Gpio;

/// <summary>A relay on a digital output pin.</summary>
internal sealed class RelayOutput(RelayOptions options, GpioController controller)
{
    public RelayOptions Options { get; } = options;

    public bool SafeState { get; } = GpioVocabulary.TryParseSwitch(options.SafeState, out var on) && on;

    /// <summary>Opens the pin as an output already at the safe state, so the relay never passes through the other one.</summary>
    public void Open() => controller.OpenPin(Options.Pin!.Value, PinMode.Output, Level(SafeState));

    public void Switch(bool on) => controller.Write(Options.Pin!.Value, Level(on));

    private PinValue Level(bool on) => on != Options.ActiveLow ? PinValue.High : PinValue.Low;
}
