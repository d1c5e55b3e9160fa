using Referrals.Contracts;
using Referrals.SupportPlan.Caseloads;
using Referrals.SupportPlan.Journeys;
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
        // Contacted more recently than the other, never contacted: the caseload's old order (by last contact alone) put it last.
        fixture.Clock.Advance(TimeSpan.FromHours(1));
        await _scenario.OpenAsync(later);
        using (var laterWorker = _scenario.Worker(later))
        {
            await laterWorker.Post($"/journeys/{later.JourneyId}/contacts", new { kind = "Phone", outcome = "Attended", durationMinutes = 10 }).Ok();
        }

        await fixture.Bus.PublishAsync(Scenario.Triaged(later, priority: Priority.Urgent, sourceVersion: 7));
        await _scenario.WaitForJourneyAsync(later.JourneyId, later.ProgrammeId, j => j.Referral.Priority == Priority.Urgent);
        using var worker = _scenario.Worker(earlier);
        using var lead = _scenario.TeamLead(earlier.ProgrammeId);

        var own = await worker.Get<List<JourneySummary>>("/caseload");
        var led = await lead.Get<List<JourneySummary>>($"/link-workers/{earlier.WorkerId}/caseload");

        Assert.Equal([later.JourneyId, earlier.JourneyId], own.Select(j => j.JourneyId));
        Assert.Equal([later.JourneyId, earlier.JourneyId], led.Select(j => j.JourneyId));
    }

    [Fact]
    public async Task A_journey_nobody_has_contacted_shows_no_last_contact_and_comes_before_those_contacted()
    {
        var contactedFirst = ReferralCase.New();
        var neverContacted = ReferralCase.New(contactedFirst.ProgrammeId) with { WorkerId = contactedFirst.WorkerId };
        var contactedLast = ReferralCase.New(contactedFirst.ProgrammeId) with { WorkerId = contactedFirst.WorkerId };
        using var worker = _scenario.Worker(contactedFirst);
        await _scenario.OpenAsync(contactedFirst);
        fixture.Clock.Advance(TimeSpan.FromHours(1));
        await worker.Post($"/journeys/{contactedFirst.JourneyId}/contacts", new { kind = "Phone", outcome = "Attended", durationMinutes = 10 }).Ok();

        // Accepted after the other's contact: were the acceptance a contact, this journey would sort after it.
        fixture.Clock.Advance(TimeSpan.FromHours(1));
        await _scenario.OpenAsync(neverContacted);
        fixture.Clock.Advance(TimeSpan.FromHours(1));
        await _scenario.OpenAsync(contactedLast);
        await worker.Post($"/journeys/{contactedLast.JourneyId}/contacts", new { kind = "Video", outcome = "Attended", durationMinutes = 10 }).Ok();

        var caseload = await worker.Get<List<JourneySummary>>("/caseload");

        Assert.Equal([neverContacted.JourneyId, contactedFirst.JourneyId, contactedLast.JourneyId], caseload.Select(j => j.JourneyId));
        var line = caseload[0];
        Assert.Null(line.LastContactAt);
        Assert.Equal(0, line.ContactCount);
        Assert.Null((await worker.Get<JourneyView>($"/journeys/{neverContacted.JourneyId}")).Engagement.LastContactAt);
    }

    [Fact]
    public async Task Journeys_sort_by_the_moment_of_their_last_contact_whatever_offset_it_was_given_in()
    {
        var earlier = ReferralCase.New();
        var later = ReferralCase.New(earlier.ProgrammeId) with { WorkerId = earlier.WorkerId };
        using var worker = _scenario.Worker(earlier);
        await _scenario.OpenAsync(earlier);
        await _scenario.OpenAsync(later);
        fixture.Clock.Advance(TimeSpan.FromHours(2));
        var now = fixture.Clock.GetUtcNow();

        // 30 minutes ago in UTC, and 60 minutes ago as the web app sends a summer time (+01:00): as text, the later sorts first.
        await worker.Post($"/journeys/{later.JourneyId}/contacts",
            new { kind = "Phone", outcome = "Attended", durationMinutes = 10, occurredAt = now.AddMinutes(-30) }).Ok();
        await worker.Post($"/journeys/{earlier.JourneyId}/contacts",
            new { kind = "Phone", outcome = "Attended", durationMinutes = 10, occurredAt = now.AddMinutes(-60).ToOffset(TimeSpan.FromHours(1)) }).Ok();

        var caseload = await worker.Get<List<JourneySummary>>("/caseload");

        Assert.Equal([earlier.JourneyId, later.JourneyId], caseload.Select(j => j.JourneyId));
    }
}
