using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace CivicEdge.Fleet.Contracts.Ota;

/// <summary>
/// A version as Semantic Versioning 2.0.0 defines it (semver.org): <c>MAJOR.MINOR.PATCH[-pre.release][+build]</c>,
/// ordered by precedence (§11): numerically by core, a pre-release before its release, pre-release identifiers
/// compared one by one (numeric ones numerically and before alphanumeric ones); build metadata is ignored.
/// </summary>
public sealed class SemanticVersion : IComparable<SemanticVersion>, IEquatable<SemanticVersion>
{
    private readonly string[] _preRelease;

    private SemanticVersion(long major, long minor, long patch, string[] preRelease, string? build, string text)
    {
        Major = major;
        Minor = minor;
        Patch = patch;
        _preRelease = preRelease;
        Build = build;
        Text = text;
    }

    public long Major { get; }

    public long Minor { get; }

    public long Patch { get; }

    public IReadOnlyList<string> PreRelease => _preRelease;

    public string? Build { get; }

    /// <summary>The version as it was written.</summary>
    public string Text { get; }

    public bool IsPreRelease => _preRelease.Length > 0;

    /// <summary>Reads a version; the exception says which part is wrong.</summary>
    public static SemanticVersion Parse(string text)
    {
        if (!TryParse(text, out var version, out var error))
            throw new FormatException(error);
        return version;
    }

    public static bool TryParse(string? text, [NotNullWhen(true)] out SemanticVersion? version) => TryParse(text, out version, out _);

    /// <summary>Reads a version; <paramref name="error"/> says what was expected and what was found.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out SemanticVersion? version, out string error)
    {
        version = null;
        if (string.IsNullOrEmpty(text))
        {
            error = "expected a semantic version MAJOR.MINOR.PATCH, found nothing";
            return false;
        }

        var rest = text;
        string? build = null;
        var plus = rest.IndexOf('+', StringComparison.Ordinal);
        if (plus >= 0)
        {
            build = rest[(plus + 1)..];
            rest = rest[..plus];
            if (!AreIdentifiers(build.Split('.'), numericMayHaveLeadingZero: true))
            {
                error = $"expected build metadata of dot-separated [0-9A-Za-z-] identifiers after '+' in '{text}', found '{build}'";
                return false;
            }
        }

        string[] preRelease = [];
        var dash = rest.IndexOf('-', StringComparison.Ordinal);
        if (dash >= 0)
        {
            preRelease = rest[(dash + 1)..].Split('.');
            if (!AreIdentifiers(preRelease, numericMayHaveLeadingZero: false))
            {
                error = $"expected a pre-release of dot-separated [0-9A-Za-z-] identifiers (numbers without leading zeros) after '-' in '{text}', found '{rest[(dash + 1)..]}'";
                return false;
            }
            rest = rest[..dash];
        }

        var core = rest.Split('.');
        if (core.Length != 3)
        {
            error = $"expected MAJOR.MINOR.PATCH (three numbers) in '{text}', found {core.Length} part(s) '{rest}'";
            return false;
        }

        var numbers = new long[3];
        for (var i = 0; i < 3; i++)
        {
            if (!IsNumber(core[i]) || (core[i].Length > 1 && core[i][0] == '0')
                || !long.TryParse(core[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]))
            {
                error = $"expected a non-negative number without leading zeros as the {(i == 0 ? "major" : i == 1 ? "minor" : "patch")} version in '{text}', found '{core[i]}'";
                return false;
            }
        }

        version = new SemanticVersion(numbers[0], numbers[1], numbers[2], preRelease, build, text);
        error = string.Empty;
        return true;
    }

    public int CompareTo(SemanticVersion? other)
    {
        if (other is null)
            return 1;
        var byCore = Major != other.Major ? Major.CompareTo(other.Major)
            : Minor != other.Minor ? Minor.CompareTo(other.Minor)
            : Patch.CompareTo(other.Patch);
        if (byCore != 0)
            return byCore;

        // §11.3: a version with a pre-release has lower precedence than the same version without one.
        if (_preRelease.Length == 0 || other._preRelease.Length == 0)
            return other._preRelease.Length.CompareTo(_preRelease.Length);

        for (var i = 0; i < Math.Min(_preRelease.Length, other._preRelease.Length); i++)
        {
            var byIdentifier = CompareIdentifiers(_preRelease[i], other._preRelease[i]);
            if (byIdentifier != 0)
                return byIdentifier;
        }
        return _preRelease.Length.CompareTo(other._preRelease.Length);
    }

    public bool Equals(SemanticVersion? other) => other is not null && CompareTo(other) == 0;

    public override bool Equals(object? obj) => obj is SemanticVersion other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Major, Minor, Patch, string.Join('.', _preRelease));

    public override string ToString() => Text;

    public static bool operator <(SemanticVersion left, SemanticVersion right) => left.CompareTo(right) < 0;

    public static bool operator >(SemanticVersion left, SemanticVersion right) => left.CompareTo(right) > 0;

    public static bool operator <=(SemanticVersion left, SemanticVersion right) => left.CompareTo(right) <= 0;

    public static bool operator >=(SemanticVersion left, SemanticVersion right) => left.CompareTo(right) >= 0;

    public static bool operator ==(SemanticVersion? left, SemanticVersion? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(SemanticVersion? left, SemanticVersion? right) => !(left == right);

    // §11.4: numeric identifiers compare numerically and sort before alphanumeric ones, which compare in ASCII order.
    private static int CompareIdentifiers(string left, string right)
    {
        var leftNumeric = IsNumber(left);
        var rightNumeric = IsNumber(right);
        if (leftNumeric && rightNumeric)
            return left.Length != right.Length ? left.Length.CompareTo(right.Length) : string.CompareOrdinal(left, right);
        if (leftNumeric != rightNumeric)
            return leftNumeric ? -1 : 1;
        return string.CompareOrdinal(left, right);
    }

    private static bool AreIdentifiers(string[] identifiers, bool numericMayHaveLeadingZero)
    {
        foreach (var identifier in identifiers)
        {
            if (identifier.Length == 0)
                return false;
            foreach (var c in identifier)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c != '-')
                    return false;
            }
            if (!numericMayHaveLeadingZero && IsNumber(identifier) && identifier.Length > 1 && identifier[0] == '0')
                return false;
        }
        return true;
    }

    private static bool IsNumber(string value) => value.Length > 0 && value.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0;
}
