using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Referrals.SharedKernel;

/// <summary>A UK postcode in its normal form ("LS1 4AP"), with its outward code (district) for catchment rules.</summary>
public readonly partial record struct UkPostcode
{
    private UkPostcode(string value) => Value = value;

    public string Value { get; }

    public string District => Value[..Value.IndexOf(' ', StringComparison.Ordinal)];

    public static bool TryCreate(string? input, [NotNullWhen(true)] out UkPostcode? postcode, out string? error)
    {
        postcode = null;
        var compact = input?.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        if (compact is null || !Pattern().IsMatch(compact))
        {
            error = "A UK postcode looks like LS1 4AP.";
            return false;
        }

        error = null;
        postcode = new UkPostcode(compact[..^3] + " " + compact[^3..]);
        return true;
    }

    public override string ToString() => Value;

    [GeneratedRegex("^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$")]
    private static partial Regex Pattern();
}
