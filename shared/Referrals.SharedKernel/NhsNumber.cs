using System.Diagnostics.CodeAnalysis;

namespace Referrals.SharedKernel;

/// <summary>
/// A 10-digit NHS number whose last digit passes the NHS Data Dictionary Modulus 11 check and that is not one digit
/// repeated.
/// </summary>
public readonly record struct NhsNumber
{
    private NhsNumber(string value) => Value = value;

    public string Value { get; }

    /// <summary>Accepts digits with optional spaces or hyphens (as printed: 943 476 5919).</summary>
    public static bool TryCreate(string? input, [NotNullWhen(true)] out NhsNumber? nhsNumber, out string? error)
    {
        nhsNumber = null;
        var digits = input?.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        if (string.IsNullOrEmpty(digits))
        {
            error = "An NHS number is required.";
            return false;
        }

        if (digits.Length != 10 || !digits.All(char.IsAsciiDigit))
        {
            error = "An NHS number has exactly 10 digits.";
            return false;
        }

        // Every repdigit passes Modulus 11 (its last digit is its own check digit); clinical systems use them as
        // placeholders, so one would index many people as one (HAZ-003 C7).
        if (digits.All(d => d == digits[0]))
        {
            error = "An NHS number of one digit repeated is a placeholder, not a person's NHS number.";
            return false;
        }

        var sum = 0;
        for (var i = 0; i < 9; i++)
        {
            sum += (digits[i] - '0') * (10 - i);
        }

        var check = 11 - (sum % 11);
        if (check == 11)
        {
            check = 0;
        }

        if (check == 10 || check != digits[9] - '0')
        {
            error = "The NHS number's check digit is wrong (Modulus 11).";
            return false;
        }

        error = null;
        nhsNumber = new NhsNumber(digits);
        return true;
    }

    public static NhsNumber Create(string input) =>
        TryCreate(input, out var value, out var error) ? value.Value : throw new ArgumentException(error, nameof(input));

    public override string ToString() => Value;
}
