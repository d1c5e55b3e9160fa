using System.Text.RegularExpressions;

namespace Referrals.ClinicalSafety.Tests.Checker;

/// <summary>DCB0129/DCB0160 severity (consequence) categories, least to most severe.</summary>
public enum Severity
{
    Minor = 1,
    Significant = 2,
    Considerable = 3,
    Major = 4,
    Catastrophic = 5,
}

/// <summary>DCB0129/DCB0160 likelihood categories, least to most likely.</summary>
public enum Likelihood
{
    VeryLow = 1,
    Low = 2,
    Medium = 3,
    High = 4,
    VeryHigh = 5,
}

/// <summary>
/// The 5×5 clinical risk matrix of DCB0129/DCB0160: risk 1 (acceptable) to 5 (unacceptable) from likelihood and
/// severity. <see cref="Standard"/> is the standard's matrix; <see cref="Parse(string)"/> reads the table in the clinical
/// risk management plan so the tests can prove the plan and the checker agree.
/// </summary>
public sealed partial class RiskMatrix
{
    private readonly int[,] _risk; // [likelihood - 1, severity - 1]

    private RiskMatrix(int[,] risk) => _risk = risk;

    public static RiskMatrix Standard { get; } = new(new[,]
    {
        // Minor, Significant, Considerable, Major, Catastrophic
        { 1, 1, 2, 2, 3 }, // Very low
        { 1, 2, 2, 3, 4 }, // Low
        { 2, 2, 3, 3, 4 }, // Medium
        { 2, 3, 3, 4, 5 }, // High
        { 3, 4, 4, 5, 5 }, // Very high
    });

    public int Risk(Severity severity, Likelihood likelihood) => _risk[(int)likelihood - 1, (int)severity - 1];

    public bool SameAs(RiskMatrix other) =>
        Enum.GetValues<Severity>().All(s => Enum.GetValues<Likelihood>().All(l => Risk(s, l) == other.Risk(s, l)));

    public static Severity ParseSeverity(string text) =>
        Enum.TryParse<Severity>(Normalise(text), ignoreCase: true, out var value) && Enum.IsDefined(value)
            ? value
            : throw new FormatException($"'{text}' is not a severity (Minor, Significant, Considerable, Major, Catastrophic).");

    public static Likelihood ParseLikelihood(string text) =>
        Enum.TryParse<Likelihood>(Normalise(text), ignoreCase: true, out var value) && Enum.IsDefined(value)
            ? value
            : throw new FormatException($"'{text}' is not a likelihood (Very low, Low, Medium, High, Very high).");

    private static string Normalise(string text)
    {
        var words = text.Replace("*", "", StringComparison.Ordinal).Trim();
        return int.TryParse(words, out _) ? "not a number" : words.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
    }

    /// <summary>
    /// Reads the matrix from the first markdown table whose header's first cell mentions "Likelihood" and whose other
    /// header cells are the five severities; each row is a likelihood followed by five risk values.
    /// </summary>
    public static RiskMatrix Parse(string markdown)
    {
        var tables = MarkdownTable.ReadAll(markdown);
        foreach (var table in tables)
        {
            if (table.Header.Count != 6 || !table.Header[0].Contains("Likelihood", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var severities = table.Header.Skip(1).Select(ParseSeverity).ToList();
            var risk = new int[5, 5];
            var seen = new HashSet<Likelihood>();
            foreach (var row in table.Rows)
            {
                var likelihood = ParseLikelihood(row.Cells[0]);
                if (!seen.Add(likelihood))
                {
                    throw new FormatException($"Line {row.Line}: likelihood {likelihood} appears twice in the matrix.");
                }

                for (var k = 0; k < 5; k++)
                {
                    var digits = Digits().Match(row.Cells[k + 1]);
                    if (!digits.Success)
                    {
                        throw new FormatException($"Line {row.Line}: '{row.Cells[k + 1]}' is not a risk value.");
                    }

                    risk[(int)likelihood - 1, (int)severities[k] - 1] = int.Parse(digits.Value, System.Globalization.CultureInfo.InvariantCulture);
                }
            }

            if (seen.Count != 5)
            {
                throw new FormatException("The risk matrix needs one row per likelihood.");
            }

            return new RiskMatrix(risk);
        }

        throw new FormatException("No risk matrix table (header 'Likelihood' + five severities) was found.");
    }

    [GeneratedRegex(@"\b[1-5]\b")]
    private static partial Regex Digits();
}
