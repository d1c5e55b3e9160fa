using Referrals.ClinicalSafety.Tests.Checker;

namespace Referrals.ClinicalSafety.Tests;

/// <summary>
/// Keeps docs/clinical-safety/hazard-log.md true (DCB0129): every control's evidence is a test that exists, the risks
/// follow the plan's matrix, and what is still unproven is listed on purpose. Reads files only; runs in well under a second.
/// </summary>
public sealed class HazardLogTests
{
    /// <summary>
    /// The hazards issue 10 requires, each recognised by phrases that must all appear (any case) in one hazard's
    /// "Hazard" cell. The hazard log's guide repeats these phrases; keep the two in step when a title changes.
    /// </summary>
    public static readonly IReadOnlyList<RequiredHazard> Required =
    [
        new("a missed or delayed escalation", "missed or delayed escalation"),
        new("an escalation nobody acknowledges", "unacknowledged escalation"),
        new("the wrong person matched by NHS number", "wrong person", "NHS number"),
        new("an outcome coded to the wrong practice", "coded to the wrong practice"),
        new("a duplicate or missing SNOMED entry", "duplicate or missing", "SNOMED"),
        new("data sent beyond the person's consent", "sent beyond", "consent"),
        new("a referral lost between services", "lost between services"),
        new("a lone-working check-out not alerted", "lone-working check-out", "not alerted"),
        new("assignment over capacity, or to the wrong tier", "over capacity", "wrong tier"),
        new("an outcome score computed wrongly", "outcome score", "computed wrongly"),
        new("a self-referrer at risk not shown crisis routes", "self-referrer", "crisis routes"),
        new("a stale screen overwriting newer data", "stale screen", "overwrit"),
    ];

    private static readonly Lazy<HazardLogChecker> Log = new(() => HazardLogChecker.Open(RepositoryRoot.Find()));

    private static HazardLogChecker Checker => Log.Value;

    private static string Report(IEnumerable<object> findings) =>
        string.Join(Environment.NewLine, findings.Select(f => "  " + f));

    [Fact]
    public void Every_verification_in_the_hazard_log_names_a_test_that_exists()
    {
        var findings = Checker.UnprovenVerifications();

        Assert.True(findings.Count == 0, "The hazard log names tests that do not prove anything:" + Environment.NewLine + Report(findings));
        Assert.Contains(Checker.Hazards.SelectMany(h => h.Verifications), v => v.Test is not null);
    }

    [Fact]
    public void The_hazard_log_covers_the_required_hazards()
    {
        var uncovered = Checker.Uncovered(Required);

        Assert.True(uncovered.Count == 0,
            "No hazard covers:" + Environment.NewLine + Report(uncovered.Select(r => $"{r.Description} (phrases: {string.Join(" + ", r.Phrases)})")));
    }

    [Fact]
    public void Every_hazard_has_controls_and_a_residual_risk_no_higher_than_its_initial_risk()
    {
        var findings = Checker.ControlProblems();

        Assert.True(findings.Count == 0, Report(findings));
    }

    [Fact]
    public void Risk_values_follow_the_matrix()
    {
        var plan = File.ReadAllText(Path.Combine(Checker.Root, "docs", "clinical-safety", "clinical-risk-management-plan.md"));
        var matrix = RiskMatrix.Parse(plan);

        Assert.True(matrix.SameAs(RiskMatrix.Standard), "The plan's matrix is not the DCB0129/DCB0160 matrix.");
        var findings = Checker.RiskProblems(matrix);
        Assert.True(findings.Count == 0, Report(findings));
    }

    [Fact]
    public void Pending_verifications_are_listed_and_every_listed_one_is_still_pending()
    {
        var findings = Checker.PendingProblems();

        Assert.True(findings.Count == 0, Report(findings));
    }

    [Fact]
    public void A_hazard_is_open_exactly_while_a_verification_is_pending()
    {
        var findings = Checker.StatusProblems();

        Assert.True(findings.Count == 0, Report(findings));
    }

    [Fact]
    public void Hazard_ids_run_from_HAZ_001_without_gaps()
    {
        var ids = Checker.Hazards.Select(h => h.Id).ToList();

        Assert.Equal(Enumerable.Range(1, ids.Count).Select(n => $"HAZ-{n:000}"), ids);
    }
}
