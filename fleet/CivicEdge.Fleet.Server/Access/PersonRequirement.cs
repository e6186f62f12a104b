using Microsoft.AspNetCore.Authorization;

namespace CivicEdge.Fleet.Server.Access;

/// <summary>
/// The default and fallback policies' requirement beside authentication: the caller is a person (an API key or an
/// identity provider token), not a device, which may only download what is offered to it.
/// </summary>
internal sealed class PersonRequirement : IAuthorizationRequirement;
