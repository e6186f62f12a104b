using System;

namespace CivicEdge.Firmware.Core.Settings;

/// <summary>A setting was read as the wrong type, was missing without a default, or cannot be stored.</summary>
public class SettingsException : Exception
{
    public SettingsException(string message)
        : base(message)
    {
    }
}
