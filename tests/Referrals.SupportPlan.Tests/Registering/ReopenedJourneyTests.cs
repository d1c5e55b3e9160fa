using System.Net;
using Referrals.Contracts;
using Referrals.Contracts.Intake;
using Referrals.EventStore.Daemon;
using Referrals.SupportPlan.AccessAudit;
using Referrals.SupportPlan.Caseloads;
using Referrals.SupportPlan.Journeys;
using Referrals.SupportPlan.Tests.Support;
using Referrals.SupportPlan.Timeline;

namespace Referrals.SupportPlan.Tests.Registering;

/// <summary>
/// A journey a re-referral reopens, through the real store and broker (HAZ-001, HAZ-019): the new episode has no worker until
/// one accepts it, so the previous episode's worker neither holds, reads nor changes it, and the team lead's lists of journeys
/// with no worker have it.
/// </summary>
public sealed class ReopenedJourneyTests(SupportPlanHost fixture) : IClassFixture<SupportPlanHost>
{
    private readonly Scenario _scenario = new(fixture);

    /// <summary>A first episode worked by the case's worker and closed, then reopened by an urgent re-referral nobody has accepted.</summary>
    private async Task<(ReferralCase First, ReferralCase Again, Guid JourneyId)> ReopenedAsync()
    {
        var first = ReferralCase.New();
        var journey = await _scenario.OpenAndAgreeAsync(first);
        using (var worker = _scenario.Worker(first))
        {
            await worker.Post($"/journeys/{journey.JourneyId}/closure", new { reason = "GoalsMet" }).Ok();
        }

        var again = first.ReReferral() with { WorkerId = "lw-" + Guid.NewGuid().ToString("N")[..8] };
        await fixture.Bus.PublishAsync(Scenario.Submitted(again, journey.JourneyId, fixture.Clock.UtcNow.AddDays(1)));
        await fixture.Bus.PublishAsync(Scenario.Triaged(again, priority: Priority.Urgent));
        Assert.True((await fixture.Probe.WaitForAsync<Integration.JourneyRegistered>(r => r.ReferralId == again.ReferralId)).Reopened);
        await _scenario.WaitForJourneyAsync(journey.JourneyId, first.ProgrammeId, j => j.Status == JourneyStatus.AwaitingAcceptance);
        return (first, again, journey.JourneyId);
    }

    private static async Task<string> ViewTextAsync(HttpClient client, Guid journeyId)
    {
        using var response = await client.Send(HttpMethod.Get, $"/journeys/{journeyId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task A_journey_reopened_by_a_re_referral_leaves_the_previous_workers_caseload_and_access_and_is_on_the_team_leads_no_worker_list_until_a_worker_accepts_it()
    {
        var (first, again, journeyId) = await ReopenedAsync();
        using var previous = _scenario.Worker(first);
        using var lead = _scenario.TeamLead(first.ProgrammeId);

        var waiting = await lead.Get<JourneyView>($"/journeys/{journeyId}");
        Assert.Equal((JourneyStatus.AwaitingAcceptance, (string?)null, Priority.Urgent), (waiting.Status, waiting.LinkWorkerId, waiting.Referral.Priority));
        Assert.DoesNotContain(await previous.Get<List<JourneySummary>>("/caseload?includeClosed=true"), j => j.JourneyId == journeyId);
        Assert.DoesNotContain(await lead.Get<List<JourneySummary>>($"/link-workers/{first.WorkerId}/caseload?includeClosed=true"), j => j.JourneyId == journeyId);
        Assert.Empty((await lead.Get<JourneyPage>($"/journeys?linkWorkerId={first.WorkerId}")).Journeys);
        Assert.Equal([journeyId], (await lead.Get<JourneyPage>("/journeys?unassigned=true")).Journeys.Select(j => j.JourneyId));

        // The previous worker was never offered the new referral: refused, and the refusals are audited.
        var before = await fixture.Service<AccessAuditLog>().ForJourneyAsync(journeyId, CancellationToken.None);
        await previous.Send(HttpMethod.Get, $"/journeys/{journeyId}").Problem(HttpStatusCode.Forbidden);
        await previous.Send(HttpMethod.Get, $"/journeys/{journeyId}/timeline").Problem(HttpStatusCode.Forbidden);
        await previous.Post($"/journeys/{journeyId}/consent", new { scope = "CodedOnly", withdrawn = false, reason = (string?)null })
            .Problem(HttpStatusCode.Forbidden);
        var refused = (await fixture.Service<AccessAuditLog>().ForJourneyAsync(journeyId, CancellationToken.None)).Skip(before.Count).ToList();
        Assert.Equal([(AccessKind.Read, "GetJourney", false), (AccessKind.Read, "GetJourneyTimeline", false), (AccessKind.Write, "ChangeConsent", false)],
            refused.Select(e => (e.Access, e.Operation, e.Allowed)).ToArray());

        var reopenedEntry = (await lead.Get<TimelineView>($"/journeys/{journeyId}/timeline")).Entries.Single(e => e.Kind == "JourneyReopened");
        Assert.Contains("awaiting a worker's acceptance", reopenedEntry.Summary, StringComparison.Ordinal);

        // The journey document is the fold of the events: rebuilt from them, it is the same, still with no worker.
        var stored = await ViewTextAsync(lead, journeyId);
        await new ProjectionDaemon(fixture.Store).RebuildAsync(nameof(Journey));
        Assert.Equal(stored, await ViewTextAsync(lead, journeyId));

        await fixture.Bus.PublishAsync(Scenario.Accepted(again, at: fixture.Clock.UtcNow));
        var opened = await fixture.Probe.WaitForAsync<Integration.JourneyOpened>(o => o.ReferralId == again.ReferralId);
        Assert.Equal((again.WorkerId, 2), (opened.LinkWorkerId, opened.Episode));
        await _scenario.WaitForJourneyAsync(journeyId, first.ProgrammeId, j => j.LinkWorkerId == again.WorkerId);
        using var next = _scenario.Worker(again);
        Assert.Contains(await next.Get<List<JourneySummary>>("/caseload"), j => j.JourneyId == journeyId);
        await next.Send(HttpMethod.Get, $"/journeys/{journeyId}").Expect<JourneyView>();
        await previous.Send(HttpMethod.Get, $"/journeys/{journeyId}").Problem(HttpStatusCode.Forbidden);
        Assert.Empty((await lead.Get<JourneyPage>("/journeys?unassigned=true")).Journeys);
    }

    /// <summary>
    /// HAZ-001 C11: withdrawn before anyone accepted it, the reopened journey closes with no worker; a further referral intake
    /// linked while it was open, recorded after, must reach the team lead's list of journeys with no worker, not the previous
    /// episode's worker's caseload (they may have left).
    /// </summary>
    [Fact]
    public async Task A_reopened_journey_closed_before_anyone_accepted_it_keeps_a_later_further_referral_off_the_previous_workers_caseload_and_on_the_team_leads_no_worker_list()
    {
        var (first, again, journeyId) = await ReopenedAsync();
        await fixture.Bus.PublishAsync(new ReferralWithdrawn(again.ReferralId, journeyId, again.PersonId, "Sorted elsewhere", fixture.Clock.UtcNow));
        await _scenario.WaitForJourneyAsync(journeyId, first.ProgrammeId, j => j.Status == JourneyStatus.Closed);
        var linked = new ReferralLinkedToOpenJourney(Guid.NewGuid(), journeyId, first.PersonId, first.ProgrammeId,
            new Referrer(ReferrerKind.OtherHealthOrganisation, "RR8", "Nurse Example", "District nurse", "0113 000 0001"), fixture.Clock.UtcNow)
        {
            Risk = new RiskAnswers(true, false, false, false),
        };
        await fixture.Bus.PublishAsync(linked);
        await _scenario.WaitForJourneyAsync(journeyId, first.ProgrammeId, j => j.FurtherReferrals.Any(f => f.ReferralId == linked.ReferralId));
        using var previous = _scenario.Worker(first);
        using var lead = _scenario.TeamLead(first.ProgrammeId);

        var nobodys = Assert.Single((await lead.Get<JourneyPage>("/journeys?unreadFurtherReferral=true&unassigned=true")).Journeys);
        Assert.Equal((journeyId, JourneyStatus.Closed, (string?)null, 1),
            (nobodys.JourneyId, nobodys.Status, nobodys.LinkWorkerId, nobodys.UnacknowledgedFurtherReferrals));
        Assert.DoesNotContain(await previous.Get<List<JourneySummary>>("/caseload"), j => j.JourneyId == journeyId);

        await lead.Post($"/journeys/{journeyId}/further-referrals/{linked.ReferralId}/acknowledge").Ok();
        Assert.Empty((await lead.Get<JourneyPage>("/journeys?unreadFurtherReferral=true&unassigned=true")).Journeys);
    }
}
