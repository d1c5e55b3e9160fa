using System.Globalization;

namespace Referrals.Fhir.Model;

/// <summary>How much of a FHIR <c>date</c>/<c>dateTime</c> is known.</summary>
public enum FhirDatePrecision
{
    Year,
    Month,
    Day,

    /// <summary>A full date and time of day with a timezone.</summary>
    Time,
}

/// <summary>Lexical parsing shared by <see cref="FhirDate"/>, <see cref="FhirDateTime"/> and <see cref="FhirInstant"/>.</summary>
internal static class FhirTemporalParser
{
    internal readonly record struct Parts(
        FhirDatePrecision Precision, int Year, int Month, int Day,
        int Hour, int Minute, int Second, string Fraction, TimeSpan? Offset);

    /// <summary>Parses <c>YYYY[-MM[-DD[Thh:mm:ss[.f+](Z|±hh:mm)]]]</c> and checks that every field is in range.</summary>
    internal static bool TryParse(string? text, bool allowTime, bool allowPartialDate, out Parts parts, out string error)
    {
        parts = default;
        if (string.IsNullOrEmpty(text))
        {
            error = "is empty";
            return false;
        }

        var s = text.AsSpan();
        if (!TryDigits(s, 0, 4, out var year) || year == 0)
        {
            error = $"'{text}' does not start with a four-digit year 0001-9999";
            return false;
        }

        if (s.Length == 4)
        {
            return Done(allowPartialDate, FhirDatePrecision.Year, year, 1, 1, out parts, out error, text);
        }

        if (s[4] != '-' || !TryDigits(s, 5, 2, out var month) || month is < 1 or > 12)
        {
            error = $"'{text}' has no valid month (expected YYYY-MM with MM 01-12)";
            return false;
        }

        if (s.Length == 7)
        {
            return Done(allowPartialDate, FhirDatePrecision.Month, year, month, 1, out parts, out error, text);
        }

        if (s[7] != '-' || !TryDigits(s, 8, 2, out var day) || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            error = $"'{text}' has no valid day (expected YYYY-MM-DD with a day that exists in that month)";
            return false;
        }

        if (s.Length == 10)
        {
            if (!allowPartialDate && allowTime)
            {
                error = $"'{text}' has no time: an instant needs date, time to the second and timezone";
                return false;
            }

            parts = new Parts(FhirDatePrecision.Day, year, month, day, 0, 0, 0, "", null);
            error = "";
            return true;
        }

        if (!allowTime)
        {
            error = $"'{text}' is not a date: expected YYYY, YYYY-MM or YYYY-MM-DD with no time";
            return false;
        }

        // Thh:mm:ss
        if (s.Length < 19 || s[10] != 'T' || !TryDigits(s, 11, 2, out var hour) || s[13] != ':' || !TryDigits(s, 14, 2, out var minute)
            || s[16] != ':' || !TryDigits(s, 17, 2, out var second))
        {
            error = $"'{text}' has no valid time: expected Thh:mm:ss after the date (seconds are required)";
            return false;
        }

        if (hour > 23 || minute > 59 || second > 60)
        {
            error = $"'{text}' has a time of day out of range";
            return false;
        }

        var i = 19;
        var fraction = "";
        if (i < s.Length && s[i] == '.')
        {
            var start = ++i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }

            if (i == start)
            {
                error = $"'{text}' has a '.' with no fractional digits";
                return false;
            }

            fraction = text[start..i];
        }

        TimeSpan offset;
        if (i < s.Length && s[i] == 'Z' && i + 1 == s.Length)
        {
            offset = TimeSpan.Zero;
        }
        else if (i < s.Length && (s[i] == '+' || s[i] == '-') && s.Length == i + 6 && TryDigits(s, i + 1, 2, out var oh)
                 && s[i + 3] == ':' && TryDigits(s, i + 4, 2, out var om) && (oh < 14 ? om < 60 : oh == 14 && om == 0))
        {
            offset = new TimeSpan(oh, om, 0);
            if (s[i] == '-')
            {
                offset = -offset;
            }
        }
        else
        {
            error = i >= s.Length
                ? $"'{text}' has a time but no timezone (Z or ±hh:mm is required)"
                : $"'{text}' has an invalid timezone (expected Z or ±hh:mm, at most ±14:00)";
            return false;
        }

        parts = new Parts(FhirDatePrecision.Time, year, month, day, hour, minute, second, fraction, offset);
        error = "";
        return true;
    }

    private static bool Done(bool allowPartial, FhirDatePrecision precision, int year, int month, int day, out Parts parts, out string error, string text)
    {
        if (!allowPartial)
        {
            parts = default;
            error = $"'{text}' is a partial date: an instant needs date, time to the second and timezone";
            return false;
        }

        parts = new Parts(precision, year, month, day, 0, 0, 0, "", null);
        error = "";
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<char> s, int start, int count, out int value)
    {
        value = 0;
        if (s.Length < start + count)
        {
            return false;
        }

        for (var i = start; i < start + count; i++)
        {
            if (!char.IsAsciiDigit(s[i]))
            {
                return false;
            }

            value = (value * 10) + (s[i] - '0');
        }

        return true;
    }

    /// <summary>
    /// Canonical text for a point in time: converted to UTC and written <c>yyyy-MM-ddTHH:mm:ss[.fff]Z</c>, milliseconds only
    /// when non-zero. The same instant therefore always yields the same bytes, whatever offset it was held in, and a value
    /// that went through PostgreSQL (microseconds) gives the same text as the original.
    /// </summary>
    internal static string FormatUtc(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        utc = new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
        return utc.Millisecond == 0
            ? utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    }

    internal static DateTimeOffset ToDateTimeOffset(Parts p)
    {
        // A leap second (ss = 60) has no DateTimeOffset; it is read as the last tick of the preceding second.
        var second = Math.Min(p.Second, 59);
        var ticks = 0L;
        if (p.Fraction.Length > 0)
        {
            var digits = p.Fraction.Length > 7 ? p.Fraction[..7] : p.Fraction.PadRight(7, '0');
            ticks = long.Parse(digits, CultureInfo.InvariantCulture);
        }

        if (p.Second == 60)
        {
            ticks = TimeSpan.TicksPerSecond - 1;
        }

        return new DateTimeOffset(p.Year, p.Month, p.Day, p.Hour, p.Minute, second, p.Offset ?? TimeSpan.Zero).AddTicks(ticks);
    }
}

/// <summary>
/// FHIR <c>date</c>: <c>YYYY</c>, <c>YYYY-MM</c> or <c>YYYY-MM-DD</c>, no time, no timezone. Immutable; always valid once built;
/// holds its exact text so that a parsed value is written back byte for byte.
/// </summary>
public sealed class FhirDate : IEquatable<FhirDate>
{
    private FhirDate(string value, FhirDatePrecision precision, int year, int month, int day)
    {
        Value = value;
        Precision = precision;
        Year = year;
        Month = month;
        Day = day;
    }

    /// <summary>The FHIR text, e.g. <c>1970-01</c>.</summary>
    public string Value { get; }

    public FhirDatePrecision Precision { get; }

    public int Year { get; }

    /// <summary>1 when the precision is <see cref="FhirDatePrecision.Year"/>.</summary>
    public int Month { get; }

    /// <summary>1 when the precision is coarser than <see cref="FhirDatePrecision.Day"/>.</summary>
    public int Day { get; }

    public static FhirDate FromDate(DateOnly date) =>
        new(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), FhirDatePrecision.Day, date.Year, date.Month, date.Day);

    public static FhirDate FromYear(int year) => Parse(year.ToString("D4", CultureInfo.InvariantCulture));

    public static FhirDate FromYearMonth(int year, int month) =>
        Parse(string.Create(CultureInfo.InvariantCulture, $"{year:D4}-{month:D2}"));

    /// <summary>Parses FHIR <c>date</c> text; throws <see cref="FormatException"/> saying what is wrong.</summary>
    public static FhirDate Parse(string text) =>
        TryParse(text, out var date, out var error) ? date : throw new FormatException($"Invalid FHIR date: {error}.");

    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out FhirDate? date, out string error)
    {
        if (FhirTemporalParser.TryParse(text, allowTime: false, allowPartialDate: true, out var p, out error))
        {
            date = new FhirDate(text!, p.Precision, p.Year, p.Month, p.Day);
            return true;
        }

        date = null;
        return false;
    }

    /// <summary>The calendar date, when the day is known.</summary>
    public DateOnly? ToDateOnly() => Precision == FhirDatePrecision.Day ? new DateOnly(Year, Month, Day) : null;

    public static implicit operator FhirDate(DateOnly date) => FromDate(date);

    public override string ToString() => Value;

    public bool Equals(FhirDate? other) => other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as FhirDate);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    public static bool operator ==(FhirDate? left, FhirDate? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(FhirDate? left, FhirDate? right) => !(left == right);
}

/// <summary>
/// FHIR <c>dateTime</c>: a partial date (<c>YYYY</c>, <c>YYYY-MM</c>, <c>YYYY-MM-DD</c>) or a date and time to the second with
/// a timezone (<c>YYYY-MM-DDThh:mm:ss[.f+](Z|±hh:mm)</c>). Immutable; always valid once built; holds its exact text.
/// Values built from a <see cref="DateTimeOffset"/> are written in UTC to the millisecond (see <see cref="FromDateTimeOffset"/>).
/// </summary>
public sealed class FhirDateTime : IEquatable<FhirDateTime>
{
    private readonly FhirTemporalParser.Parts _parts;

    private FhirDateTime(string value, FhirTemporalParser.Parts parts)
    {
        Value = value;
        _parts = parts;
    }

    public string Value { get; }

    public FhirDatePrecision Precision => _parts.Precision;

    /// <summary>
    /// Builds a full dateTime from a point in time: converted to UTC and truncated to milliseconds
    /// (<c>2025-03-01T09:30:00Z</c>, <c>2025-03-01T09:30:00.250Z</c>), so equal instants give byte-identical JSON.
    /// </summary>
    public static FhirDateTime FromDateTimeOffset(DateTimeOffset value) => Parse(FhirTemporalParser.FormatUtc(value));

    /// <summary>A day-precision dateTime (<c>YYYY-MM-DD</c>).</summary>
    public static FhirDateTime FromDate(DateOnly date) => Parse(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    public static FhirDateTime Parse(string text) =>
        TryParse(text, out var value, out var error) ? value : throw new FormatException($"Invalid FHIR dateTime: {error}.");

    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out FhirDateTime? value, out string error)
    {
        if (FhirTemporalParser.TryParse(text, allowTime: true, allowPartialDate: true, out var p, out error))
        {
            value = new FhirDateTime(text!, p);
            return true;
        }

        value = null;
        return false;
    }

    /// <summary>The point in time when the value has a time of day; <c>null</c> for a partial date.</summary>
    public DateTimeOffset? ToDateTimeOffset() =>
        _parts.Precision == FhirDatePrecision.Time ? FhirTemporalParser.ToDateTimeOffset(_parts) : null;

    public static implicit operator FhirDateTime(DateTimeOffset value) => FromDateTimeOffset(value);

    public override string ToString() => Value;

    public bool Equals(FhirDateTime? other) => other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as FhirDateTime);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    public static bool operator ==(FhirDateTime? left, FhirDateTime? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(FhirDateTime? left, FhirDateTime? right) => !(left == right);
}

/// <summary>
/// FHIR <c>instant</c>: always date, time to the second and timezone (<c>YYYY-MM-DDThh:mm:ss[.f+](Z|±hh:mm)</c>).
/// Immutable; always valid once built; holds its exact text. Built from a <see cref="DateTimeOffset"/> it is written in UTC to
/// the millisecond, seconds always present.
/// </summary>
public sealed class FhirInstant : IEquatable<FhirInstant>
{
    private readonly FhirTemporalParser.Parts _parts;

    private FhirInstant(string value, FhirTemporalParser.Parts parts)
    {
        Value = value;
        _parts = parts;
    }

    public string Value { get; }

    public static FhirInstant FromDateTimeOffset(DateTimeOffset value) => Parse(FhirTemporalParser.FormatUtc(value));

    public static FhirInstant Parse(string text) =>
        TryParse(text, out var value, out var error) ? value : throw new FormatException($"Invalid FHIR instant: {error}.");

    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out FhirInstant? value, out string error)
    {
        if (FhirTemporalParser.TryParse(text, allowTime: true, allowPartialDate: false, out var p, out error))
        {
            value = new FhirInstant(text!, p);
            return true;
        }

        value = null;
        return false;
    }

    public DateTimeOffset ToDateTimeOffset() => FhirTemporalParser.ToDateTimeOffset(_parts);

    public static implicit operator FhirInstant(DateTimeOffset value) => FromDateTimeOffset(value);

    public override string ToString() => Value;

    public bool Equals(FhirInstant? other) => other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as FhirInstant);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    public static bool operator ==(FhirInstant? left, FhirInstant? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(FhirInstant? left, FhirInstant? right) => !(left == right);
}
