namespace CivicEdge.Gateway.Gpio;

/// <summary>
/// The GPIO chip or a PWM channel the configuration names cannot be opened on this machine: the library is not
/// installed, the chip does not exist or the gateway may not use it. The message says which and why.
/// </summary>
public sealed class GpioUnavailableException : Exception
{
    public GpioUnavailableException()
    {
    }

    public GpioUnavailableException(string message)
        : base(message)
    {
    }

    public GpioUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
