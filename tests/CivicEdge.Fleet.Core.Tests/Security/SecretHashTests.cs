using CivicEdge.Fleet.Core.Security;

namespace CivicEdge.Fleet.Core.Tests.Security;

[Category("Unit")]
public sealed class SecretHashTests
{
    [Test]
    public void A_hash_verifies_its_secret_and_no_other()
    {
        var hash = SecretHash.Create("s3cret", 1000);

        Assert.That(SecretHash.Verify("s3cret", hash), Is.True);
        Assert.That(SecretHash.Verify("s3cret ", hash), Is.False);
    }

    [Test]
    public void A_hash_has_mosquittos_pbkdf2_sha512_form_with_a_salt_of_its_own()
    {
        var one = SecretHash.Create("s3cret", 1000);
        var two = SecretHash.Create("s3cret", 1000);

        var parts = one.Split('$');
        Assert.That((parts[1], parts[2]), Is.EqualTo(("7", "1000")));
        Assert.That(Convert.FromBase64String(parts[3]), Has.Length.EqualTo(12), "the salt length Mosquitto reads");
        Assert.That(Convert.FromBase64String(parts[4]), Has.Length.EqualTo(64));
        Assert.That(one, Is.Not.EqualTo(two), "salted");
    }

    [Test]
    public void A_hash_made_elsewhere_with_pbkdf2_sha512_verifies()
    {
        // PBKDF2-HMAC-SHA512("password", "salt", 1) from RFC 6070's construction, as mosquitto_passwd would write it.
        var salt = Convert.ToBase64String("salt"u8.ToArray());
        var hash = Convert.ToBase64String(System.Security.Cryptography.Rfc2898DeriveBytes.Pbkdf2("password"u8, "salt"u8, 1, System.Security.Cryptography.HashAlgorithmName.SHA512, 64));

        Assert.That(SecretHash.Verify("password", $"$7$1${salt}${hash}"), Is.True);
    }

    [TestCase("")]
    [TestCase("$6$abc$def")]
    [TestCase("$7$x$c2FsdA==$aGFzaA==")]
    [TestCase("$7$10$not base64$aGFzaA==")]
    [TestCase("$7$10$c2FsdA==")]
    public void A_malformed_hash_verifies_nothing(string encoded)
    {
        Assert.That(SecretHash.Verify("anything", encoded), Is.False);
    }

    [Test]
    public void A_claim_token_is_twenty_unambiguous_characters_in_groups_and_read_back_however_typed()
    {
        var token = DeviceSecrets.NewClaimToken();

        Assert.That(token, Does.Match("^([0-9A-HJKMNP-TV-Z]{4}-){4}[0-9A-HJKMNP-TV-Z]{4}$"));
        Assert.That(DeviceSecrets.HashClaimToken(token.ToLowerInvariant().Replace("-", " ", StringComparison.Ordinal)), Is.EqualTo(DeviceSecrets.HashClaimToken(token)));
        Assert.That(DeviceSecrets.HashClaimToken("O1L0-0000"), Is.EqualTo(DeviceSecrets.HashClaimToken("0110-0000")), "O, I and L are read as the digits they look like");
    }
}
