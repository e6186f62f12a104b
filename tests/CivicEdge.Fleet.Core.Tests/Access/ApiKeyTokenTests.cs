using CivicEdge.Fleet.Core.Access;

namespace CivicEdge.Fleet.Core.Tests.Access;

[Category("Unit")]
public sealed class ApiKeyTokenTests
{
    [Test]
    public void A_new_key_reads_back_as_itself_and_matches_its_own_hash_only()
    {
        var key = ApiKeyToken.New();
        var other = ApiKeyToken.New();

        Assert.That(ApiKeyToken.TryParse(key.ToString(), out var read, out var problem), Is.True, problem);
        Assert.That((read!.Id, read.Secret), Is.EqualTo((key.Id, key.Secret)));
        Assert.That(key.Matches(key.HashSecret()), Is.True);
        Assert.That(key.Matches(other.HashSecret()), Is.False);
        Assert.That(key.HashSecret(), Does.Not.Contain(key.Secret).And.Length.EqualTo(64));
    }

    [Test]
    public void New_keys_differ_in_id_and_secret_and_have_the_documented_shape()
    {
        var keys = Enumerable.Range(0, 50).Select(_ => ApiKeyToken.New()).ToList();

        Assert.That(keys.Select(k => k.Id).Distinct().Count(), Is.EqualTo(50));
        Assert.That(keys.Select(k => k.Secret).Distinct().Count(), Is.EqualTo(50));
        Assert.That(keys.Select(k => k.ToString()), Is.All.Match("^ce_[a-z0-9]{10}_[A-Za-z0-9_-]{43}$"));
    }

    [TestCase(null, "starting with 'ce_'")]
    [TestCase("", "starting with 'ce_'")]
    [TestCase("Bearer ce_abcdefghij_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "starting with 'ce_'")]
    [TestCase("ce_ABCDEFGHIJ_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "10 lowercase letters or digits")]
    [TestCase("ce_abcdefghi_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "10 lowercase letters or digits")]
    [TestCase("ce_abcdefghij_short", "at least 43 base64url characters")]
    [TestCase("ce_abcdefghij_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=A", "at least 43 base64url characters")]
    [TestCase("ce_abc", "10 lowercase letters or digits")]
    public void Text_that_is_not_a_key_is_refused_saying_what_was_expected(string? text, string expected)
    {
        Assert.That(ApiKeyToken.TryParse(text, out var token, out var problem), Is.False);
        Assert.That(token, Is.Null);
        Assert.That(problem, Does.Contain(expected));
    }
}
