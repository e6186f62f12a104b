namespace CivicEdge.Firmware.MeterNode;

/// <summary>How the meter's pulse output is wired to the node.</summary>
public enum ContactSensing
{
    /// <summary>
    /// One reed or Wiegand contact: every closure is one pulse, always counted forward. Cheap, but reverse flow turns
    /// the dial backwards and is counted as consumption.
    /// </summary>
    SingleContact,

    /// <summary>
    /// Two contacts a quarter of a turn apart (quadrature, or a dual-reed head whose reeds overlap): the order in which
    /// they close gives the direction, so reverse flow is counted as reverse volume and a contact chattering at rest
    /// counts nothing.
    /// </summary>
    Quadrature,
}
