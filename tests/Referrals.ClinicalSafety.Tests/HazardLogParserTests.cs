using Referrals.ClinicalSafety.Tests.Checker;

namespace Referrals.ClinicalSafety.Tests;

public sealed class HazardLogParserTests
{
    private const string Header = """
        | Id | Hazard | Cause(s) | Effect | Harm | Initial severity | Initial likelihood | Initial risk | Controls | Residual severity | Residual likelihood | Residual risk | Verification | Status |
        |:---|---|---|---|---|---|---|---|---|---|---|---|---|---|
        """;

    private static string Row(string verification = "`A.B`", string status = "Controlled", string risk = "4", string initialLikelihood = "High") =>
        $"| HAZ-001 | Hazard \\| with a pipe | Cause | Effect | Harm | Major | {initialLikelihood} | {risk} | C1 first<br>C2 second | Major | Very low | 2 | {verification} | {status} |";

    private static Hazard ParseOne(string row) => Assert.Single(HazardLog.Parse("# Log\n\nSome guide.\n\n" + Header + "\n" + row + "\n\nAfter the table.\n"));

    [Fact]
    public void A_row_is_read_by_column_name_with_escaped_pipes_and_enum_words()
    {
        var hazard = ParseOne(Row());

        Assert.Equal("HAZ-001", hazard.Id);
        Assert.Equal("Hazard | with a pipe", hazard.Title);
        Assert.Equal(Severity.Major, hazard.InitialSeverity);
        Assert.Equal(Likelihood.High, hazard.InitialLikelihood);
        Assert.Equal(4, hazard.InitialRisk);
        Assert.Equal(Likelihood.VeryLow, hazard.ResidualLikelihood);
        Assert.Equal(["C1", "C2"], hazard.ControlLabels);
        Assert.Equal(HazardStatus.Controlled, hazard.Status);
        Assert.Equal(7, hazard.Line);
    }

    [Fact]
    public void Columns_may_come_in_any_order()
    {
        var log = """
            | Id | Status | Verification | Hazard | Cause(s) | Effect | Harm | Controls | Initial severity | Initial likelihood | Initial risk | Residual severity | Residual likelihood | Residual risk |
            |---|---|---|---|---|---|---|---|---|---|---|---|---|---|
            | HAZ-001 | Open | PENDING: a test | H | C | E | Hm | C1 x | Minor | Low | 1 | Minor | Very low | 1 |
            """;

        var hazard = Assert.Single(HazardLog.Parse(log));

        Assert.Equal(HazardStatus.Open, hazard.Status);
        Assert.Equal(Severity.Minor, hazard.InitialSeverity);
    }

    [Fact]
    public void A_cell_names_several_tests_separated_by_line_breaks_or_semicolons()
    {
        var verifications = HazardLog.ParseVerifications(
            "C1: `TimerTests.A_timer_fires`<br>C2: OutboxTests.One; `Referrals.EventStore.Tests.Outbox.OutboxTests.Two`<br/>Plain.Three <BR /> C3:Four.Five");

        Assert.Equal(
            ["C1: TimerTests.A_timer_fires", "C2: OutboxTests.One", "C2: Referrals.EventStore.Tests.Outbox.OutboxTests.Two", "Plain.Three", "C3: Four.Five"],
            verifications.Select(v => v.ToString()));
        Assert.Equal(["Referrals", "EventStore", "Tests", "Outbox", "OutboxTests", "Two"], verifications[2].Test!.Segments);
    }

    [Fact]
    public void Nested_class_names_may_use_a_plus_or_a_dot()
    {
        var verifications = HazardLog.ParseVerifications("Outer+Inner.Method; Ns.Outer.Inner.Method");

        Assert.Equal(["Outer", "Inner", "Method"], verifications[0].Test!.Segments);
        Assert.Equal(["Ns", "Outer", "Inner", "Method"], verifications[1].Test!.Segments);
    }

    [Fact]
    public void A_pending_item_runs_to_the_next_line_break_and_may_hold_semicolons()
    {
        var verifications = HazardLog.ParseVerifications(
            "C1: ErasureTests.Gone<br>C2: PENDING: triage test: unacknowledged, it moves on; acknowledged, it stops<br>PENDING:web app test");

        Assert.Equal(3, verifications.Count);
        Assert.False(verifications[0].IsPending);
        Assert.Equal("C2", verifications[1].Control);
        Assert.Equal("triage test: unacknowledged, it moves on; acknowledged, it stops", verifications[1].Pending);
        Assert.Equal("web app test", verifications[2].Pending);
        Assert.Null(verifications[2].Control);
    }

    [Theory]
    [InlineData("Just prose about a test")]
    [InlineData("MethodWithoutClass")]
    [InlineData("Class.Method()")]
    [InlineData("PENDING:")]
    [InlineData("pending: lower case is not the marker")]
    public void A_verification_that_is_neither_a_test_name_nor_pending_is_refused(string cell)
    {
        Assert.Throws<FormatException>(() => HazardLog.ParseVerifications(cell));
    }

    [Theory]
    [InlineData("Severe", "High", "4")]
    [InlineData("Major", "Likely", "4")]
    [InlineData("Major", "High", "four")]
    [InlineData("Major", "High", "6")]
    public void Unknown_severities_likelihoods_and_risks_are_refused_with_their_line(string severity, string likelihood, string risk)
    {
        var row = Row(risk: risk, initialLikelihood: likelihood).Replace("| Major | " + likelihood, "| " + severity + " | " + likelihood, StringComparison.Ordinal);

        var error = Assert.Throws<FormatException>(() => ParseOne(row));

        Assert.StartsWith("Line 7, Initial ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_row_with_an_unescaped_pipe_is_refused()
    {
        var error = Assert.Throws<FormatException>(() => ParseOne(Row().Replace("\\|", "|", StringComparison.Ordinal)));

        Assert.Contains("15 cells where the header has 14", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_columns_and_duplicate_ids_are_refused()
    {
        Assert.Contains("Status", Assert.Throws<FormatException>(() => HazardLog.Parse(
            Header.Replace(" Status |", " State |", StringComparison.Ordinal) + "\n" + Row())).Message, StringComparison.Ordinal);
        Assert.Contains("HAZ-001 is used on lines", Assert.Throws<FormatException>(() => HazardLog.Parse(
            Header + "\n" + Row() + "\n" + Row())).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_allow_list_reads_ids_with_notes_and_comments()
    {
        var list = PendingAllowList.Parse("# header\n\nHAZ-001   triage tests (issue 5)  # why\nHAZ-012\n");

        Assert.Equal(["HAZ-001", "HAZ-012"], list.Entries.Select(e => e.HazardId));
        Assert.Equal("triage tests (issue 5)", list.Entries[0].Note);
        Assert.Equal(3, list.Entries[0].Line);
        Assert.Throws<FormatException>(() => PendingAllowList.Parse("hazard one\n"));
    }

    [Fact]
    public void The_standard_matrix_gives_the_published_values()
    {
        var m = RiskMatrix.Standard;

        Assert.Equal(1, m.Risk(Severity.Minor, Likelihood.VeryLow));
        Assert.Equal(3, m.Risk(Severity.Catastrophic, Likelihood.VeryLow));
        Assert.Equal(3, m.Risk(Severity.Minor, Likelihood.VeryHigh));
        Assert.Equal(5, m.Risk(Severity.Catastrophic, Likelihood.VeryHigh));
        Assert.Equal(5, m.Risk(Severity.Catastrophic, Likelihood.High));
        Assert.Equal(4, m.Risk(Severity.Major, Likelihood.High));
        Assert.Equal(3, m.Risk(Severity.Considerable, Likelihood.Medium));
        Assert.Equal(2, m.Risk(Severity.Major, Likelihood.VeryLow));
        // Risk never falls as severity or likelihood rises.
        foreach (var s in Enum.GetValues<Severity>())
        {
            foreach (var l in Enum.GetValues<Likelihood>())
            {
                Assert.True(s == Severity.Catastrophic || m.Risk(s, l) <= m.Risk(s + 1, l));
                Assert.True(l == Likelihood.VeryHigh || m.Risk(s, l) <= m.Risk(s, l + 1));
            }
        }
    }

    [Fact]
    public void A_matrix_table_in_markdown_is_read_and_compared()
    {
        const string plan = """
            | Likelihood \ Severity | Minor | Significant | Considerable | Major | Catastrophic |
            |---|---|---|---|---|---|
            | Very high | 3 | 4 | 4 | 5 | 5 |
            | High | 2 | 3 | 3 | 4 | 5 |
            | Medium | 2 | 2 | 3 | 3 | 4 |
            | Low | 1 | 2 | 2 | 3 | 4 |
            | Very low | 1 | 1 | 2 | 2 | 3 |
            """;

        Assert.True(RiskMatrix.Parse(plan).SameAs(RiskMatrix.Standard));
        Assert.False(RiskMatrix.Parse(plan.Replace("| Medium | 2 | 2 | 3 | 3 | 4 |", "| Medium | 2 | 2 | 2 | 3 | 4 |", StringComparison.Ordinal))
            .SameAs(RiskMatrix.Standard));
    }
}
