using Referrals.Contracts;
using Referrals.SupportPlan.Caseloads;
using Referrals.SupportPlan.Tests.Support;

namespace Referrals.SupportPlan.Tests.Caseloads;

/// <summary>The caseload as the worker and their team lead read it over HTTP.</summary>
public sealed class CaseloadTests(SupportPlanHost fixture) : IClassFixture<SupportPlanHost>
{
    private readonly Scenario _scenario = new(fixture);

    [Fact]
    public async Task A_journey_made_urgent_after_it_was_opened_heads_the_workers_caseload_and_the_team_leads_view_of_it()
    {
        var earlier = ReferralCase.New();
        var later = ReferralCase.New(earlier.ProgrammeId) with { WorkerId = earlier.WorkerId };
        await _scenario.OpenAsync(earlier);
        // Opened an hour later, so contacted more recently (opening counts as contact): the caseload's old order put it last.
        fixture.Clock.Advance(TimeSpan.FromHours(1));
        await _scenario.OpenAsync(later);
        await fixture.Bus.PublishAsync(Scenario.Triaged(later, priority: Priority.Urgent, sourceVersion: 7));
        await _scenario.WaitForJourneyAsync(later.JourneyId, later.ProgrammeId, j => j.Referral.Priority == Priority.Urgent);
        using var worker = _scenario.Worker(earlier);
        using var lead = _scenario.TeamLead(earlier.ProgrammeId);

        var own = await worker.Get<List<JourneySummary>>("/caseload");
        var led = await lead.Get<List<JourneySummary>>($"/link-workers/{earlier.WorkerId}/caseload");

        Assert.Equal([later.JourneyId, earlier.JourneyId], own.Select(j => j.JourneyId));
        Assert.Equal([later.JourneyId, earlier.JourneyId], led.Select(j => j.JourneyId));
    }
}
