namespace CivicEdge.Gateway.Configuration;

/// <summary>Which of several due devices on one bus is read first.</summary>
public enum DevicePriority
{
    High,
    Normal,
    Low,
}
