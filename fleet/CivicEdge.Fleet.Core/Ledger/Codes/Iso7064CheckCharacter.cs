namespace CivicEdge.Fleet.Core.Ledger.Codes;

/// <summary>
/// ISO/IEC 7064 hybrid check characters, as national identifiers use them: MOD 37,36 over the
/// 36 characters 0–9 A–Z, and MOD 11,10 over digits. Both detect every single substituted character and most
/// transpositions of adjacent ones (a hybrid system misses a few, e.g. "10" for "01" at some positions).
/// </summary>
public static class Iso7064CheckCharacter
{
    private const string Alphanumeric = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

    /// <summary>The MOD 37,36 check character of <paramref name="payload"/> (0–9, A–Z); null if it holds another character.</summary>
    public static char? Mod37Of36(ReadOnlySpan<char> payload) => Compute(payload, 36);

    /// <summary>The MOD 11,10 check digit of <paramref name="payload"/> (digits only); null if it holds another character.</summary>
    public static char? Mod11Of10(ReadOnlySpan<char> payload) => Compute(payload, 10);

    /// <summary>
    /// ISO/IEC 7064 §7 hybrid system MOD (M+1),M: P starts at M; for each character S = (P + value) mod M (M when 0),
    /// P = 2S mod (M+1); the check character makes (P + check) mod M equal 1.
    /// </summary>
    private static char? Compute(ReadOnlySpan<char> payload, int modulus)
    {
        var product = modulus;
        foreach (var character in payload)
        {
            var value = Alphanumeric.IndexOf(character, StringComparison.Ordinal);
            if (value < 0 || value >= modulus)
                return null;

            var sum = (product + value) % modulus;
            if (sum == 0)
                sum = modulus;
            product = sum * 2 % (modulus + 1);
        }

        return Alphanumeric[(modulus + 1 - product) % modulus];
    }
}
