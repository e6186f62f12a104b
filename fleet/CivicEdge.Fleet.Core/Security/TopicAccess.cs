namespace CivicEdge.Fleet.Core.Security;

/// <summary>The topic ACL's answer: the kind, the other source's code for <see cref="TopicAccessKind.OtherSource"/>, the reason for a denial.</summary>
public readonly record struct TopicAccess(TopicAccessKind Kind, string? Source, string? Reason)
{
    public static TopicAccess Own { get; } = new(TopicAccessKind.Own, null, null);

    public static TopicAccess Other(string source) => new(TopicAccessKind.OtherSource, source, null);

    public static TopicAccess Deny(string reason) => new(TopicAccessKind.Denied, null, reason);
}
