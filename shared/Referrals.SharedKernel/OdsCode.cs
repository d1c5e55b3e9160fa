using System.Diagnostics.CodeAnalysis;

namespace Referrals.SharedKernel;

/// <summary>An ODS organisation code: 1 to 9 alphanumeric characters, held upper-case (standards §3.5).</summary>
public readonly record struct OdsCode
{
    private OdsCode(string value) => Value = value;

    public string Value { get; }

    public static bool TryCreate(string? input, [NotNullWhen(true)] out OdsCode? code, out string? error)
    {
        code = null;
        var value = input?.Trim().ToUpperInvariant();
        if (string.IsNullOrEmpty(value))
        {
            error = "An ODS code is required.";
            return false;
        }

        if (value.Length > 9 || !value.All(char.IsAsciiLetterOrDigit))
        {
            error = "An ODS code has 1 to 9 letters or digits.";
            return false;
        }

        error = null;
        code = new OdsCode(value);
        return true;
    }

    public static OdsCode Create(string input) =>
        TryCreate(input, out var value, out var error) ? value.Value : throw new ArgumentException(error, nameof(input));

    public override string ToString() => Value;
}
