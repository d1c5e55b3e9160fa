using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Referrals.WebApp.Api;

namespace Referrals.WebApp.Tests;

/// <summary>
/// The worker's caseload page shows support-plan's attention-first order as it comes and marks what makes a line urgent (HAZ-001):
/// support-plan is a stub answering <c>GET /caseload</c>; the order itself is support-plan's and tested there.
/// </summary>
public sealed partial class CaseloadPageTests : IAsyncLifetime
{
    private const string Worker = "lw-nl-07";
    private StubbedWebApp? _app;

    private readonly JourneySummary _checkOutOverdue = Journey("Check-out overdue", "Active", "Routine", loneWorkingAlert: true);
    private readonly JourneySummary _escalated = Journey("Escalated", "Open", "Urgent", escalated: true) with
    {
        SafeguardingConcerns = 1, Crisis = true, RequiredTier = "PsychosocialLinkWorker",
    };
    private readonly JourneySummary _riskyReferral = Journey("Further referral with risk", "Active", "Routine") with
    {
        UnacknowledgedFurtherReferrals = 1, UnacknowledgedFurtherReferralCarriesRisk = true,
    };

    private readonly JourneySummary _routine = Journey("Routine", "Active", "Routine") with { UnacknowledgedFurtherReferrals = 2, RequiredTier = "LinkWorker" };
    private readonly JourneySummary _closedUrgent = Journey("Closed urgent", "Closed", "Urgent");

    [Fact]
    public async Task The_caseload_keeps_support_plans_order_and_marks_an_overdue_check_out_a_further_referral_reporting_risk_and_an_urgent_escalated_journey_with_its_crisis_concern_and_tier()
    {
        var page = await _app!.LinkWorkerPageAsync("/caseload?includeClosed=true", Worker, WebAppFixture.Programme);

        var rows = Row().Matches(page).Select(m => (Id: Guid.Parse(m.Groups[1].Value), Html: m.Groups[2].Value)).ToList();
        Assert.Equal([_checkOutOverdue.JourneyId, _riskyReferral.JourneyId, _escalated.JourneyId, _routine.JourneyId, _closedUrgent.JourneyId],
            rows.Select(r => r.Id));
        Assert.Contains("Home visit check-out overdue", rows[0].Html, StringComparison.Ordinal);
        Assert.Contains("nhsuk-tag--red app-further-referral\">New referral to read: it reports risk", rows[1].Html, StringComparison.Ordinal);
        Assert.Contains("app-urgent", rows[2].Html, StringComparison.Ordinal);
        Assert.Contains("Escalated for risk", rows[2].Html, StringComparison.Ordinal);
        Assert.Contains("Safeguarding: crisis", rows[2].Html, StringComparison.Ordinal);
        Assert.Contains("Needs a psychosocial link worker (tier 3)", rows[2].Html, StringComparison.Ordinal);
        Assert.DoesNotContain("app-urgent", rows[3].Html, StringComparison.Ordinal);
        Assert.DoesNotContain("Home visit check-out overdue", rows[3].Html, StringComparison.Ordinal);
        // The first tier is every journey's least: said, it would only dilute the marks that matter.
        Assert.DoesNotContain("Needs a", rows[3].Html, StringComparison.Ordinal);
        Assert.Contains("nhsuk-tag--yellow app-further-referral\">2 new referrals to read<", rows[3].Html, StringComparison.Ordinal);
        // A closed journey's priority is history, not a call to act.
        Assert.DoesNotContain("app-urgent", rows[4].Html, StringComparison.Ordinal);
    }

    public async Task InitializeAsync() => _app = await StubbedWebApp.StartAsync("web-app-stub-caseload", stub =>
        stub.MapGet("/caseload", () => Results.Json(new[] { _checkOutOverdue, _riskyReferral, _escalated, _routine, _closedUrgent }, ApiClient.Json)));

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private static JourneySummary Journey(string name, string status, string priority, bool loneWorkingAlert = false, bool escalated = false) =>
        new(Guid.NewGuid(), 4, name, WebAppFixture.Programme, status, Worker, "B86003", priority, escalated, false, null, null, null, null, 2, 0,
            loneWorkingAlert, status == "Closed" ? DateTimeOffset.UtcNow : null, status == "Closed" ? "GoalsMet" : null);

    [GeneratedRegex("data-journey=\"([0-9a-f-]{36})\">(.*?)</tr>", RegexOptions.Singleline)]
    private static partial Regex Row();
}
