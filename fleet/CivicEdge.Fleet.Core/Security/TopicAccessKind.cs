namespace CivicEdge.Fleet.Core.Security;

/// <summary>What the topic ACL says of one topic or filter for one device.</summary>
public enum TopicAccessKind
{
    /// <summary>Under the device's own code: allowed.</summary>
    Own,

    /// <summary>Under another device's code: allowed only if that device is registered behind this one (a gateway).</summary>
    OtherSource,

    /// <summary>Never allowed.</summary>
    Denied,
}
