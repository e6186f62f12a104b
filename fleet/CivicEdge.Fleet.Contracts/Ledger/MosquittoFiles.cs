namespace CivicEdge.Fleet.Contracts.Ledger;

/// <summary>
/// The ledger's credentials and topic ACL for an external Mosquitto broker (<c>GET /api/broker/mosquitto</c>): a
/// <c>password_file</c> with every active password credential's PBKDF2-SHA512 hash, and an <c>acl_file</c>.
/// </summary>
/// <param name="PasswordFile">The text of Mosquitto's <c>password_file</c>.</param>
/// <param name="AclFile">The text of Mosquitto's <c>acl_file</c>.</param>
/// <param name="Users">How many users the files hold, the fleet's own included.</param>
public sealed record MosquittoFiles(string PasswordFile, string AclFile, int Users);
