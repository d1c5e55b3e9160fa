using System.Globalization;
using System.Text.RegularExpressions;
using Referrals.ServiceDefaults.Problems;

namespace Referrals.Intake.Submitting;

/// <summary>
/// Collects validation errors keyed by the JSON path of the field (<c>person.nhsNumber</c>, <c>needs[2]</c>), so every
/// problem+json answer names each field. Messages never repeat the submitted value: error bodies carry no personal data.
/// </summary>
public sealed partial class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public IReadOnlyDictionary<string, List<string>> All => _errors;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        if (!list.Contains(message))
        {
            list.Add(message);
        }
    }

    public bool Has(string field) => _errors.ContainsKey(field);

    /// <summary>Adds a "required" error when the value is missing; true when it is present.</summary>
    public bool Required<T>(string field, T? value)
        where T : struct
    {
        if (value is null)
        {
            Add(field, "This field is required.");
            return false;
        }

        return true;
    }

    public bool Required(string field, object? value)
    {
        if (value is null)
        {
            Add(field, "This field is required.");
            return false;
        }

        return true;
    }

    /// <summary>
    /// Checks free text: stored exactly as typed (quotes, angle brackets, SQL-looking words, emoji and right-to-left marks are
    /// all fine), but control characters are refused - only tab, line feed and carriage return, and only in multi-line
    /// fields - as are unpaired surrogates (not text) and anything longer than <paramref name="maxLength"/>.
    /// </summary>
    public string? Text(string field, string? value, int maxLength, bool required = false, bool multiline = false)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                Add(field, "This field is required.");
            }
            else if (value is { Length: > 0 })
            {
                Add(field, "Leave this field out rather than sending only spaces.");
            }

            return null;
        }

        if (value.Length > maxLength)
        {
            Add(field, string.Create(CultureInfo.InvariantCulture, $"This field is at most {maxLength} characters long."));
            return null;
        }

        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
                continue;
            }

            if (char.IsSurrogate(c))
            {
                Add(field, "This field contains an invalid character (an unpaired surrogate).");
                return null;
            }

            if (char.IsControl(c) && !(multiline && c is '\n' or '\r' or '\t'))
            {
                Add(field, multiline
                    ? "This field contains a control character; only line breaks and tabs are allowed."
                    : "This field contains a control character (line breaks and tabs are not allowed here).");
                return null;
            }
        }

        return value;
    }

    public string? Phone(string field, string? value)
    {
        var text = Text(field, value, 30);
        if (text is null)
        {
            return null;
        }

        var digits = text.Count(char.IsAsciiDigit);
        if (!PhonePattern().IsMatch(text) || digits is < 10 or > 13)
        {
            Add(field, "A phone number has 10 to 13 digits, optionally with spaces, brackets, hyphens or a leading +.");
            return null;
        }

        return text;
    }

    public string? Email(string field, string? value)
    {
        var text = Text(field, value, 254);
        if (text is null)
        {
            return null;
        }

        if (!EmailPattern().IsMatch(text))
        {
            Add(field, "An email address looks like name@example.org.");
            return null;
        }

        return text;
    }

    public RequestValidationException ToException() =>
        new(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));

    public void ThrowIfAny()
    {
        if (Any)
        {
            throw ToException();
        }
    }

    [GeneratedRegex(@"^\+?[0-9 ()\-]+$")]
    private static partial Regex PhonePattern();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();
}
