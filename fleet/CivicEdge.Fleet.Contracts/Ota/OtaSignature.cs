namespace CivicEdge.Fleet.Contracts.Ota;

/// <summary>
/// A signature over the exact manifest bytes of a package: ECDSA on the NIST P-256 curve over their SHA-256
/// (FIPS 186-5; JOSE name <c>ES256</c>, RFC 7518 §3.4), the value as the 64-byte r‖s form (IEEE P1363) in base64.
/// </summary>
/// <param name="KeyId">The signer's key id: see <see cref="OtaPublicKey.KeyId"/>.</param>
/// <param name="Algorithm">Always <see cref="Es256"/>; named so that a later algorithm can be told apart.</param>
/// <param name="Value">r‖s, 64 bytes, base64.</param>
public sealed record OtaSignature(string KeyId, string Algorithm, string Value)
{
    public const string Es256 = "ES256";
}
