using System.Globalization;
using System.Text.RegularExpressions;

namespace Referrals.ClinicalSafety.Tests.Checker;

public enum HazardStatus
{
    /// <summary>At least one verification is still PENDING.</summary>
    Open,

    /// <summary>Every verification names a test that exists; awaiting the CSO's acceptance at a release.</summary>
    Controlled,

    /// <summary>Controlled, and the residual risk accepted by the CSO in a signed release.</summary>
    Closed,

    /// <summary>The remaining control is the deploying organisation's (DCB0160), recorded in the safety case.</summary>
    Transferred,
}

/// <summary>A test named as evidence: <c>Class.Method</c>, or more of the full name, or <c>Namespace.Outer+Inner.Method</c>.</summary>
public sealed partial record TestReference(string Text)
{
    public IReadOnlyList<string> Segments { get; } = Text.Replace('+', '.').Split('.');

    public static bool IsWellFormed(string text) => Shape().IsMatch(text);

    public override string ToString() => Text;

    [GeneratedRegex(@"^[A-Za-z_]\w*([.+][A-Za-z_]\w*)+$")]
    private static partial Regex Shape();
}

/// <summary>One item of a Verification cell: a named test, or a PENDING note of the test still to be written.</summary>
public sealed record Verification(string? Control, TestReference? Test, string? Pending)
{
    public bool IsPending => Pending is not null;

    public override string ToString() => (Control is null ? "" : Control + ": ") + (Test?.Text ?? "PENDING: " + Pending);
}

public sealed partial record Hazard(
    string Id,
    string Title,
    string Causes,
    string Effect,
    string Harm,
    Severity InitialSeverity,
    Likelihood InitialLikelihood,
    int InitialRisk,
    string Controls,
    Severity ResidualSeverity,
    Likelihood ResidualLikelihood,
    int ResidualRisk,
    IReadOnlyList<Verification> Verifications,
    HazardStatus Status,
    int Line)
{
    /// <summary>Labels (C1, C2, …) of the controls, in the order the Controls cell gives them.</summary>
    public IReadOnlyList<string> ControlLabels =>
        ControlLabel().Matches(Controls).Select(m => m.Groups["label"].Value).Distinct().ToList();

    public bool HasPendingVerification => Verifications.Any(v => v.IsPending);

    [GeneratedRegex(@"(?:^|<br\s*/?>)\s*\**(?<label>C\d+)\b")]
    private static partial Regex ControlLabel();
}

/// <summary>
/// Reads docs/clinical-safety/hazard-log.md: the first markdown table whose header starts with "Id". Columns are
/// found by name (order free). Any malformed cell throws a <see cref="FormatException"/> naming its line.
/// </summary>
public static partial class HazardLog
{
    public const string RelativePath = "docs/clinical-safety/hazard-log.md";

    public static readonly IReadOnlyList<string> Columns =
    [
        "Id", "Hazard", "Cause(s)", "Effect", "Harm", "Initial severity", "Initial likelihood", "Initial risk", "Controls",
        "Residual severity", "Residual likelihood", "Residual risk", "Verification", "Status",
    ];

    public static IReadOnlyList<Hazard> Load(string path) => Parse(File.ReadAllText(path));

    public static IReadOnlyList<Hazard> Parse(string markdown)
    {
        var table = MarkdownTable.ReadAll(markdown).FirstOrDefault(t => t.Header.Count > 0 && t.Header[0] == "Id")
                    ?? throw new FormatException("The hazard log has no table whose first column is 'Id'.");
        var index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var k = 0; k < table.Header.Count; k++)
        {
            index[table.Header[k]] = k;
        }

        var missing = Columns.Where(c => !index.ContainsKey(c)).ToList();
        if (missing.Count > 0)
        {
            throw new FormatException($"Line {table.HeaderLine}: the hazard log table lacks column(s) {string.Join(", ", missing)}.");
        }

        var hazards = new List<Hazard>();
        foreach (var row in table.Rows)
        {
            if (row.Cells.Count != table.Header.Count)
            {
                throw new FormatException(
                    $"Line {row.Line}: {row.Cells.Count} cells where the header has {table.Header.Count} (an unescaped '|' in a cell?).");
            }

            string Cell(string column) => row.Cells[index[column]];

            T Parsed<T>(string column, Func<string, T> parse)
            {
                try
                {
                    return parse(Cell(column));
                }
                catch (FormatException e)
                {
                    throw new FormatException($"Line {row.Line}, {column}: {e.Message}", e);
                }
            }

            var id = Cell("Id");
            if (!HazardId().IsMatch(id))
            {
                throw new FormatException($"Line {row.Line}: '{id}' is not a hazard id (HAZ-001, HAZ-002, …).");
            }

            hazards.Add(new Hazard(
                id,
                Cell("Hazard"),
                Cell("Cause(s)"),
                Cell("Effect"),
                Cell("Harm"),
                Parsed("Initial severity", RiskMatrix.ParseSeverity),
                Parsed("Initial likelihood", RiskMatrix.ParseLikelihood),
                Parsed("Initial risk", ParseRisk),
                Cell("Controls"),
                Parsed("Residual severity", RiskMatrix.ParseSeverity),
                Parsed("Residual likelihood", RiskMatrix.ParseLikelihood),
                Parsed("Residual risk", ParseRisk),
                Parsed("Verification", ParseVerifications),
                Parsed("Status", ParseStatus),
                row.Line));
        }

        var duplicate = hazards.GroupBy(h => h.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new FormatException($"Hazard id {duplicate.Key} is used on lines {string.Join(" and ", duplicate.Select(h => h.Line))}.");
        }

        return hazards;
    }

    public static int ParseRisk(string text) =>
        RiskValue().IsMatch(text.Trim())
            ? int.Parse(text.Trim(), CultureInfo.InvariantCulture)
            : throw new FormatException($"'{text}' is not a risk value (1 to 5).");

    public static HazardStatus ParseStatus(string text) =>
        Enum.TryParse<HazardStatus>(text.Trim(), ignoreCase: true, out var status) && Enum.IsDefined(status) && !int.TryParse(text, out _)
            ? status
            : throw new FormatException($"'{text}' is not a status (Open, Controlled, Closed, Transferred).");

    /// <summary>
    /// Splits a Verification cell into items at <c>&lt;br&gt;</c> (any spelling), and items that are not PENDING
    /// also at <c>;</c>. An item is <c>[Cn:] TestName</c> or <c>[Cn:] PENDING: what the test must show</c> (running to
    /// the next <c>&lt;br&gt;</c>). Backticks around names are ignored.
    /// </summary>
    public static IReadOnlyList<Verification> ParseVerifications(string cell)
    {
        var items = new List<Verification>();
        foreach (var line in LineBreak().Split(cell))
        {
            var text = line.Trim();
            if (text.Length == 0)
            {
                continue;
            }

            var (control, rest) = SplitControl(text);
            if (PendingPrefix().Match(rest) is { Success: true } pending)
            {
                var note = rest[pending.Length..].Trim();
                if (note.Length == 0)
                {
                    throw new FormatException("A PENDING item must say what the test has to show.");
                }

                items.Add(new Verification(control, null, note));
                continue;
            }

            foreach (var part in rest.Split(';'))
            {
                var (partControl, name) = SplitControl(part.Trim());
                name = name.Trim().Trim('`').Trim();
                if (name.Length == 0)
                {
                    continue;
                }

                if (!TestReference.IsWellFormed(name))
                {
                    throw new FormatException(
                        $"'{name}' is neither a test name (Class.Method or Namespace.Class.Method) nor 'PENDING: …'.");
                }

                items.Add(new Verification(partControl ?? control, new TestReference(name), null));
            }
        }

        return items;
    }

    private static (string? Control, string Remainder) SplitControl(string text)
    {
        var m = ControlPrefix().Match(text);
        return m.Success ? (m.Groups["label"].Value, text[m.Length..].Trim()) : (null, text);
    }

    [GeneratedRegex(@"^HAZ-\d{3}$")]
    private static partial Regex HazardId();

    [GeneratedRegex(@"^[1-5]$")]
    private static partial Regex RiskValue();

    [GeneratedRegex(@"<br\s*/?>", RegexOptions.IgnoreCase)]
    private static partial Regex LineBreak();

    [GeneratedRegex(@"^PENDING\s*:", RegexOptions.None)]
    private static partial Regex PendingPrefix();

    [GeneratedRegex(@"^\**(?<label>C\d+)\**\s*:\s*")]
    private static partial Regex ControlPrefix();
}
