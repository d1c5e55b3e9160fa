using System.Text;

namespace Referrals.Testing;

/// <summary>Unique, identifier-safe names for isolated schemas, databases and virtual hosts.</summary>
public static class IsolatedNames
{
    /// <summary>PostgreSQL truncates identifiers longer than 63 bytes.</summary>
    public const int MaxLength = 63;

    // "t_" + prefix + "_" + 32 hex digits.
    private const int MaxPrefixLength = MaxLength - 2 - 1 - 32;

    /// <summary>
    /// Returns <c>t_&lt;prefix&gt;_&lt;guid N&gt;</c>, lower case, at most 63 characters. The prefix is reduced to
    /// [a-z0-9_] and cut to 28 characters.
    /// </summary>
    public static string Create(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var cleaned = new StringBuilder(prefix.Length);
        foreach (var c in prefix.ToLowerInvariant())
        {
            cleaned.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' ? c : '_');
        }

        var safePrefix = cleaned.ToString().Trim('_');
        if (safePrefix.Length > MaxPrefixLength)
        {
            safePrefix = safePrefix[..MaxPrefixLength].TrimEnd('_');
        }

        if (safePrefix.Length == 0)
        {
            safePrefix = "test";
        }

        return $"t_{safePrefix}_{Guid.NewGuid():N}".ToLowerInvariant();
    }
}
