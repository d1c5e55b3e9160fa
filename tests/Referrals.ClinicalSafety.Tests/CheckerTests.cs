using Referrals.ClinicalSafety.Tests.Checker;

namespace Referrals.ClinicalSafety.Tests;

/// <summary>
/// The checker itself, on a throw-away repository in a temporary folder: it must pass a true log and fail as soon as a
/// test the log names is removed, renamed, commented out or skipped, and it must police the pending allow-list.
/// </summary>
public sealed class CheckerTests : IDisposable
{
    private const string EscalationTestsPath = "tests/Sample.Triage.Tests/Escalation/EscalationTests.cs";

    private const string EscalationTests = """
        using Xunit;

        namespace Sample.Triage.Tests.Escalation;

        public sealed class EscalationTests
        {
            [Fact]
            public async Task An_escalation_nobody_acknowledges_moves_to_the_team_lead()
            {
                await Task.CompletedTask;
            }

            [Theory]
            [InlineData("self harm")]
            [InlineData("sucidal")]
            public void Risk_phrases_with_misspellings_escalate(string phrase) => Assert.NotEmpty(phrase);

            [Fact]
            public void Acknowledged_escalations_stop() { }
        }
        """;

    private const string HazardLogText = """
        # Hazard log (sample)

        | Id | Hazard | Cause(s) | Effect | Harm | Initial severity | Initial likelihood | Initial risk | Controls | Residual severity | Residual likelihood | Residual risk | Verification | Status |
        |---|---|---|---|---|---|---|---|---|---|---|---|---|---|
        | HAZ-001 | Unacknowledged escalation | Duty worker away | Nobody acts | Death | Major | High | 4 | C1 Deadline timer moves it on<br>C2 Detection of misspelt phrases | Major | Very low | 2 | C1: `EscalationTests.An_escalation_nobody_acknowledges_moves_to_the_team_lead`<br>C2: Sample.Triage.Tests.Escalation.EscalationTests.Risk_phrases_with_misspellings_escalate; EscalationTests.Acknowledged_escalations_stop | Controlled |
        | HAZ-002 | Lone-working check-out not alerted | No timer | Worker unsafe | Injury | Major | Medium | 3 | C1 Durable timer | Major | Very low | 2 | C1: PENDING: a visit not checked out raises one alert | Open |
        """;

    private readonly string _root = Path.Combine(Path.GetTempPath(), "clinical-safety-checker-" + Guid.NewGuid().ToString("N"));

    public CheckerTests()
    {
        Write("Referrals.sln", "");
        Write(EscalationTestsPath, EscalationTests);
        Write(HazardLog.RelativePath, HazardLogText);
        Write(PendingAllowList.RelativePath, "# hazards still waiting for service tests\nHAZ-002  support-plan lone working (issue 6)\n");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void Write(string relative, string text)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private HazardLogChecker Check() => HazardLogChecker.Open(_root);

    [Fact]
    public void A_true_log_passes_every_check()
    {
        var checker = Check();

        Assert.Empty(checker.UnprovenVerifications());
        Assert.Empty(checker.PendingProblems());
        Assert.Empty(checker.RiskProblems(RiskMatrix.Standard));
        Assert.Empty(checker.ControlProblems());
        Assert.Empty(checker.StatusProblems());
        Assert.Equal(3, checker.Catalogue.Tests.Count);
    }

    [Fact]
    public void The_checker_fails_when_a_named_test_is_removed()
    {
        Assert.Empty(Check().UnprovenVerifications());

        Write(EscalationTestsPath, EscalationTests.Replace("""
                [Fact]
                public async Task An_escalation_nobody_acknowledges_moves_to_the_team_lead()
                {
                    await Task.CompletedTask;
                }
            """, "", StringComparison.Ordinal));

        var finding = Assert.Single(Check().UnprovenVerifications());
        Assert.Equal("HAZ-001", finding.HazardId);
        Assert.Contains("EscalationTests.An_escalation_nobody_acknowledges_moves_to_the_team_lead", finding.Problem, StringComparison.Ordinal);
        Assert.Contains("no [Fact] or [Theory]", finding.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_checker_fails_when_a_named_theory_is_renamed()
    {
        Write(EscalationTestsPath, EscalationTests.Replace(
            "Risk_phrases_with_misspellings_escalate", "Risk_phrases_escalate", StringComparison.Ordinal));

        var finding = Assert.Single(Check().UnprovenVerifications());
        Assert.Contains("Sample.Triage.Tests.Escalation.EscalationTests.Risk_phrases_with_misspellings_escalate", finding.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_checker_fails_when_a_named_test_loses_its_attribute_or_is_commented_out()
    {
        Write(EscalationTestsPath, EscalationTests
            .Replace("""
                    [Fact]
                    public void Acknowledged_escalations_stop() { }
                """, """
                    // [Fact]
                    public void Acknowledged_escalations_stop() { }
                """, StringComparison.Ordinal)
            .Replace("""
                    [Fact]
                    public async Task An_escalation_nobody_acknowledges_moves_to_the_team_lead()
                """, """
                    /* [Fact] */
                    public async Task An_escalation_nobody_acknowledges_moves_to_the_team_lead()
                """, StringComparison.Ordinal));

        var findings = Check().UnprovenVerifications();

        Assert.Equal(2, findings.Count);
        Assert.Contains(findings, f => f.Problem.Contains("EscalationTests.Acknowledged_escalations_stop", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Problem.Contains("An_escalation_nobody_acknowledges_moves_to_the_team_lead", StringComparison.Ordinal));
    }

    [Fact]
    public void The_checker_fails_when_the_file_holding_a_named_test_is_deleted()
    {
        File.Delete(Path.Combine(_root, EscalationTestsPath));

        Assert.Equal(3, Check().UnprovenVerifications().Count);
    }

    [Fact]
    public void A_skipped_test_proves_nothing()
    {
        Write(EscalationTestsPath, EscalationTests.Replace(
            "    [Fact]\n    public void Acknowledged_escalations_stop",
            "    [Fact(Skip = \"flaky\")]\n    public void Acknowledged_escalations_stop",
            StringComparison.Ordinal));

        var finding = Assert.Single(Check().UnprovenVerifications());
        Assert.Contains("skipped", finding.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_that_matches_tests_in_two_namespaces_must_be_qualified()
    {
        Write("tests/Sample.Support.Tests/EscalationTests.cs", """
            namespace Sample.Support.Tests;

            public sealed class EscalationTests
            {
                [Fact]
                public void Acknowledged_escalations_stop() { }
            }
            """);

        var finding = Assert.Single(Check().UnprovenVerifications());
        Assert.Contains("matches 2 tests", finding.Problem, StringComparison.Ordinal);
        Assert.Contains("Sample.Support.Tests.EscalationTests.Acknowledged_escalations_stop", finding.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_verification_citing_a_control_the_hazard_does_not_list_fails()
    {
        Write(HazardLog.RelativePath, HazardLogText.Replace("C2: Sample", "C9: Sample", StringComparison.Ordinal));

        // Both names after "C9:" (up to the next <br>) cite it.
        var findings = Check().UnprovenVerifications();
        Assert.Equal(2, findings.Count);
        Assert.All(findings, f => Assert.Contains("cites control C9, which the Controls cell does not list", f.Problem, StringComparison.Ordinal));
    }

    [Fact]
    public void A_pending_verification_fails_unless_the_allow_list_names_its_hazard()
    {
        Write(PendingAllowList.RelativePath, "# nothing pending\n");

        var finding = Assert.Single(Check().PendingProblems());
        Assert.Equal("HAZ-002", finding.HazardId);
        Assert.Contains("does not list it", finding.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pending_verification_fails_when_there_is_no_allow_list_at_all()
    {
        File.Delete(Path.Combine(_root, PendingAllowList.RelativePath));

        Assert.Equal("HAZ-002", Assert.Single(Check().PendingProblems()).HazardId);
    }

    [Fact]
    public void A_stale_allow_list_entry_fails_once_its_hazard_is_proven()
    {
        Write(EscalationTestsPath, EscalationTests.Replace("""
                public void Acknowledged_escalations_stop() { }
            """, """
                public void Acknowledged_escalations_stop() { }

                [Fact]
                public void A_visit_not_checked_out_raises_one_alert() { }
            """, StringComparison.Ordinal));
        Write(HazardLog.RelativePath, HazardLogText.Replace(
            "C1: PENDING: a visit not checked out raises one alert | Open",
            "C1: EscalationTests.A_visit_not_checked_out_raises_one_alert | Controlled",
            StringComparison.Ordinal));

        var checker = Check();

        Assert.Empty(checker.UnprovenVerifications());
        var finding = Assert.Single(checker.PendingProblems());
        Assert.Equal("HAZ-002", finding.HazardId);
        Assert.Contains("remove the entry", finding.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_allow_list_entry_for_an_unknown_hazard_fails()
    {
        Write(PendingAllowList.RelativePath, "HAZ-002\nHAZ-007 typo\n");

        var finding = Assert.Single(Check().PendingProblems());
        Assert.Equal("HAZ-007", finding.HazardId);
    }

    [Fact]
    public void A_hazard_marked_controlled_while_a_verification_is_pending_fails()
    {
        Write(HazardLog.RelativePath, HazardLogText.Replace("one alert | Open", "one alert | Controlled", StringComparison.Ordinal));

        var finding = Assert.Single(Check().StatusProblems());
        Assert.Equal("HAZ-002", finding.HazardId);
    }

    [Fact]
    public void A_risk_value_that_disagrees_with_the_matrix_fails()
    {
        Write(HazardLog.RelativePath, HazardLogText.Replace("| Major | High | 4 |", "| Major | High | 3 |", StringComparison.Ordinal));

        var finding = Assert.Single(Check().RiskProblems(RiskMatrix.Standard));
        Assert.Contains("Major × High is 4", finding.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_residual_risk_above_the_initial_risk_fails()
    {
        Write(HazardLog.RelativePath, HazardLogText.Replace(
            "| Major | Medium | 3 | C1 Durable timer | Major | Very low | 2 |",
            "| Major | Medium | 3 | C1 Durable timer | Major | High | 4 |",
            StringComparison.Ordinal));

        var finding = Assert.Single(Check().ControlProblems());
        Assert.Contains("higher than its initial risk", finding.Problem, StringComparison.Ordinal);
    }
}
