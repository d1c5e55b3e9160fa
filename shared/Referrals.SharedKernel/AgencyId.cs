using System.Diagnostics.CodeAnalysis;

namespace Referrals.SharedKernel;

/// <summary>
/// The id of a registered referring agency without an ODS code (a housing association, a voluntary group):
/// <c>AGY-</c> followed by 3 to 20 letters, digits or hyphens.
/// </summary>
public readonly record struct AgencyId
{
    public const string Prefix = "AGY-";

    private AgencyId(string value) => Value = value;

    public string Value { get; }

    public static bool TryCreate(string? input, [NotNullWhen(true)] out AgencyId? id, out string? error)
    {
        id = null;
        var value = input?.Trim().ToUpperInvariant();
        if (value is null || !value.StartsWith(Prefix, StringComparison.Ordinal) || value.Length is < 7 or > 24 ||
            !value[Prefix.Length..].All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            error = "An agency id is AGY- followed by 3 to 20 letters, digits or hyphens.";
            return false;
        }

        error = null;
        id = new AgencyId(value);
        return true;
    }

    public override string ToString() => Value;
}
