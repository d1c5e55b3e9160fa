using System.Net;
using System.Text.Json;
using Referrals.Contracts;
using Referrals.Contracts.Intake;
using Referrals.Contracts.Triage;
using Referrals.ServiceDefaults.Auth;
using Referrals.SupportPlan.Caseloads;
using Referrals.SupportPlan.Closing;
using Referrals.SupportPlan.Journeys;
using Referrals.SupportPlan.Tests.Support;
using Referrals.SupportPlan.Timeline;
using Referrals.Testing;

namespace Referrals.SupportPlan.Tests.Closing;

/// <summary>
/// Closure through the real store and broker: refused (409 problem+json) over a safeguarding concern triage has not confirmed
/// unless the worker says why, over a further referral nobody has read until it is acknowledged, and for a journey nobody took
/// on with an outcome only a worked journey has.
/// </summary>
public sealed class ClosureTests(SupportPlanHost fixture) : IClassFixture<SupportPlanHost>
{
    private const string Details = "Said the neighbour takes their pension";
    private readonly Scenario _scenario = new(fixture);

    private async Task<(ReferralCase Case, Guid JourneyId, Guid ConcernId)> ActiveWithConcernAsync()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAndAgreeAsync(c);
        using var worker = _scenario.Worker(c);
        var concern = await worker.Post($"/journeys/{journey.JourneyId}/safeguarding-concerns",
            new { crisis = false, indicators = new[] { "financial-abuse" }, details = Details }).Expect<JourneyWritten>(HttpStatusCode.Created);
        await fixture.Probe.WaitForAsync<Integration.SafeguardingConcernRaised>(e => e.ConcernId == concern.Id);
        return (c, journey.JourneyId, concern.Id!.Value);
    }

    private static async Task<(HttpStatusCode Status, string? ContentType, JsonElement Body)> SendAsync(HttpClient client, string url, object body)
    {
        using var response = await client.Post(url, body);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, JsonDocument.Parse(text).RootElement.Clone());
    }

    [Fact]
    public async Task A_concern_triage_has_not_confirmed_is_listed_on_the_prompt_and_refuses_closure_with_409_until_triage_confirms()
    {
        var (c, journeyId, concernId) = await ActiveWithConcernAsync();
        using var worker = _scenario.Worker(c);

        var prompt = await worker.Get<ClosurePrompt>($"/journeys/{journeyId}/closure-prompt");
        var listed = Assert.Single(prompt.UnconfirmedConcerns);
        var raised = (await worker.Get<JourneyView>($"/journeys/{journeyId}")).SafeguardingConcerns.Single();
        Assert.Equal((concernId, raised.RaisedAt), (listed.ConcernId, listed.RaisedAt));
        var promptText = await (await worker.Send(HttpMethod.Get, $"/journeys/{journeyId}/closure-prompt")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(Details, promptText, StringComparison.Ordinal);
        Assert.DoesNotContain("financial-abuse", promptText, StringComparison.Ordinal);

        var (status, contentType, problem) = await SendAsync(worker, $"/journeys/{journeyId}/closure", new { reason = "MovedAway" });
        Assert.Equal((HttpStatusCode.Conflict, "application/problem+json"), (status, contentType));
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("closeWithUnconfirmedConcernReason", detail, StringComparison.Ordinal);
        Assert.Contains(concernId.ToString(), detail, StringComparison.Ordinal);
        Assert.DoesNotContain(Details, problem.ToString(), StringComparison.Ordinal);
        Assert.Equal(JourneyStatus.Active, (await worker.Get<JourneyView>($"/journeys/{journeyId}")).Status);

        await fixture.Bus.PublishAsync(new SafeguardingConcernReceived(concernId, journeyId, c.ReferralId, c.PersonId, Guid.NewGuid(), fixture.Clock.UtcNow));
        await _scenario.WaitForJourneyAsync(journeyId, c.ProgrammeId, j => j.SafeguardingConcerns.Single().ConfirmedByTriageAt is not null);

        Assert.Empty((await worker.Get<ClosurePrompt>($"/journeys/{journeyId}/closure-prompt")).UnconfirmedConcerns);
        await worker.Post($"/journeys/{journeyId}/closure", new { reason = "MovedAway" }).Ok();
        Assert.Equal(JourneyStatus.Closed, (await worker.Get<JourneyView>($"/journeys/{journeyId}")).Status);
    }

    [Fact]
    public async Task Closing_over_an_unconfirmed_concern_with_a_reason_records_who_which_concern_and_why_and_keeps_the_reason_encrypted()
    {
        var (c, journeyId, concernId) = await ActiveWithConcernAsync();
        var reason = "Zqoverride" + Guid.NewGuid().ToString("N")[..8] + " duty worker has it by phone";
        using var worker = _scenario.Worker(c);

        await worker.Post($"/journeys/{journeyId}/closure", new { reason = "MovedAway", closeWithUnconfirmedConcernReason = reason }).Ok();

        JourneyClosed closed;
        await using (var session = fixture.Store.QuerySession())
        {
            closed = (await session.Events.FetchStreamAsync(journeyId)).Select(e => e.Data).OfType<JourneyClosed>().Single();
        }

        Assert.Equal([concernId], closed.ClosedWithUnconfirmedConcerns);
        Assert.Equal(reason, closed.ClosedWithUnconfirmedConcernReason);
        Assert.StartsWith(Roles.LinkWorker, closed.ClosedBy, StringComparison.Ordinal); // the caller's user id
        var entry = (await worker.Get<TimelineView>($"/journeys/{journeyId}/timeline")).Entries.Single(e => e.Kind == "JourneyClosed");
        Assert.Equal(closed.ClosedBy, entry.Actor);
        Assert.Contains(concernId.ToString(), entry.Summary, StringComparison.Ordinal);
        Assert.Contains(reason, entry.Detail, StringComparison.Ordinal);
        Assert.Empty(await PlainText.TablesHoldingAsync(fixture.Infrastructure.PostgresConnectionString, fixture.Schema, reason[..18]));
    }

    private async Task<(ReferralCase Case, Guid JourneyId)> RegisteredAsync(bool eligible, string? programme = null)
    {
        var c = ReferralCase.New(programme);
        await fixture.Bus.PublishAsync(Scenario.Submitted(c, submittedAt: fixture.Clock.UtcNow));
        await fixture.Bus.PublishAsync(Scenario.Triaged(c, eligible, at: fixture.Clock.UtcNow));
        var registered = await fixture.Probe.WaitForAsync<Integration.JourneyRegistered>(r => r.ReferralId == c.ReferralId);
        var waiting = eligible ? JourneyStatus.AwaitingAcceptance : JourneyStatus.NotEligible;
        await _scenario.WaitForJourneyAsync(registered.JourneyId, c.ProgrammeId, j => j.Status == waiting);
        return (c, registered.JourneyId);
    }

    /// <summary>Unable to contact is not offered: a first episode nobody took on can record no contact, so it would always fail.</summary>
    [Fact]
    public async Task A_journey_awaiting_acceptance_is_offered_only_reasons_that_can_succeed_refused_goals_met_with_409_and_closes_as_moved_away()
    {
        var (c, journeyId) = await RegisteredAsync(eligible: true);
        using var lead = _scenario.TeamLead(c.ProgrammeId);

        var prompt = await lead.Get<ClosurePrompt>($"/journeys/{journeyId}/closure-prompt");
        Assert.Equal([ClosureReason.MovedAway, ClosureReason.Deceased], prompt.Reasons);

        var (status, contentType, problem) = await SendAsync(lead, $"/journeys/{journeyId}/closure", new { reason = "GoalsMet" });
        Assert.Equal((HttpStatusCode.Conflict, "application/problem+json"), (status, contentType));
        Assert.Contains("can close only as MovedAway, UnableToContact or Deceased", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.Probe.All<Integration.JourneyClosed>(), e => e.JourneyId == journeyId);

        await lead.Post($"/journeys/{journeyId}/closure", new { reason = "MovedAway" }).Ok();
        Assert.Equal(ClosureReason.MovedAway,
            (await fixture.Probe.WaitForAsync<Integration.JourneyClosed>(e => e.JourneyId == journeyId)).Reason);
    }

    [Fact]
    public async Task A_journey_triage_found_not_eligible_is_offered_no_closure_reason_and_refused_closure_with_409()
    {
        var (c, journeyId) = await RegisteredAsync(eligible: false);
        using var lead = _scenario.TeamLead(c.ProgrammeId);

        Assert.Empty((await lead.Get<ClosurePrompt>($"/journeys/{journeyId}/closure-prompt")).Reasons);
        foreach (var reason in new[] { "MovedAway", "Deceased" })
        {
            var (status, contentType, problem) = await SendAsync(lead, $"/journeys/{journeyId}/closure", new { reason });
            Assert.Equal((HttpStatusCode.Conflict, "application/problem+json"), (status, contentType));
            Assert.Contains("never opened, so there is nothing to close", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(JourneyStatus.NotEligible, (await lead.Get<JourneyView>($"/journeys/{journeyId}")).Status);
    }

    [Fact]
    public async Task A_decline_over_a_concern_triage_has_not_confirmed_is_refused_with_409_until_the_worker_says_why_and_then_records_which_concern_and_why()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAsync(c);
        using var worker = _scenario.Worker(c);
        var concern = await worker.Post($"/journeys/{journey.JourneyId}/safeguarding-concerns",
            new { crisis = true, indicators = new[] { "suicidal-ideation" }, details = Details }).Expect<JourneyWritten>(HttpStatusCode.Created);
        await fixture.Probe.WaitForAsync<Integration.SafeguardingConcernRaised>(e => e.ConcernId == concern.Id);

        var (status, contentType, problem) = await SendAsync(worker, $"/journeys/{journey.JourneyId}/decline", new { reason = "Not now" });
        Assert.Equal((HttpStatusCode.Conflict, "application/problem+json"), (status, contentType));
        Assert.Contains("closeWithUnconfirmedConcernReason", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains(concern.Id!.Value.ToString(), problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Details, problem.ToString(), StringComparison.Ordinal);
        Assert.Equal(JourneyStatus.Open, (await worker.Get<JourneyView>($"/journeys/{journey.JourneyId}")).Status);

        var reason = "Zqdecline" + Guid.NewGuid().ToString("N")[..8] + " duty worker has it by phone";
        await worker.Post($"/journeys/{journey.JourneyId}/decline", new { reason = "Not now", closeWithUnconfirmedConcernReason = reason }).Ok();

        JourneyClosed closed;
        await using (var session = fixture.Store.QuerySession())
        {
            closed = (await session.Events.FetchStreamAsync(journey.JourneyId)).Select(e => e.Data).OfType<JourneyClosed>().Single();
        }

        Assert.Equal(ClosureReason.Declined, closed.Reason);
        Assert.Equal([concern.Id!.Value], closed.ClosedWithUnconfirmedConcerns);
        Assert.Equal(reason, closed.ClosedWithUnconfirmedConcernReason);
        Assert.Empty(await PlainText.TablesHoldingAsync(fixture.Infrastructure.PostgresConnectionString, fixture.Schema, reason[..17]));
    }

    [Fact]
    public async Task A_withdrawal_closes_over_a_concern_triage_has_not_confirmed_records_its_id_and_the_journey_stays_on_the_workers_caseload_until_triage_confirms()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAsync(c);
        using var worker = _scenario.Worker(c);
        var concern = await worker.Post($"/journeys/{journey.JourneyId}/safeguarding-concerns",
            new { crisis = true, indicators = new[] { "suicidal-ideation" } }).Expect<JourneyWritten>(HttpStatusCode.Created);
        await fixture.Probe.WaitForAsync<Integration.SafeguardingConcernRaised>(e => e.ConcernId == concern.Id);

        await fixture.Bus.PublishAsync(new ReferralWithdrawn(c.ReferralId, journey.JourneyId, c.PersonId, "Sorted elsewhere", fixture.Clock.UtcNow));
        await _scenario.WaitForJourneyAsync(journey.JourneyId, c.ProgrammeId, j => j.Status == JourneyStatus.Closed);

        JourneyClosed closed;
        await using (var session = fixture.Store.QuerySession())
        {
            closed = (await session.Events.FetchStreamAsync(journey.JourneyId)).Select(e => e.Data).OfType<JourneyClosed>().Single();
        }

        Assert.Equal(ClosureReason.Withdrawn, closed.Reason);
        Assert.Equal([concern.Id!.Value], closed.ClosedWithUnconfirmedConcerns);
        Assert.Null(closed.ClosedWithUnconfirmedConcernReason);
        var kept = Assert.Single(await worker.Get<List<JourneySummary>>("/caseload"));
        Assert.Equal((journey.JourneyId, JourneyStatus.Closed), (kept.JourneyId, kept.Status));

        await fixture.Bus.PublishAsync(new SafeguardingConcernReceived(concern.Id!.Value, journey.JourneyId, c.ReferralId, c.PersonId, Guid.NewGuid(),
            fixture.Clock.UtcNow));
        await _scenario.WaitForJourneyAsync(journey.JourneyId, c.ProgrammeId, j => j.SafeguardingConcerns.Single().ConfirmedByTriageAt is not null);
        Assert.Empty(await worker.Get<List<JourneySummary>>("/caseload"));
        Assert.Single(await worker.Get<List<JourneySummary>>("/caseload?includeClosed=true"));
    }

    private const string FurtherWords = "Zqfurtherclose eviction notice received";

    /// <summary>Intake links another referral to the journey; returns its id once support-plan has recorded it.</summary>
    private async Task<Guid> LinkFurtherReferralAsync(ReferralCase c, Guid journeyId)
    {
        var linked = new ReferralLinkedToOpenJourney(Guid.NewGuid(), journeyId, c.PersonId, c.ProgrammeId,
            new Referrer(ReferrerKind.OtherHealthOrganisation, "RR8", "Nurse Example", "District nurse", "0113 000 0001"), fixture.Clock.UtcNow)
        {
            Risk = new RiskAnswers(true, false, false, false),
            ReasonText = FurtherWords,
        };
        await fixture.Bus.PublishAsync(linked);
        await _scenario.WaitForJourneyAsync(journeyId, c.ProgrammeId, j => j.FurtherReferrals.Any(f => f.ReferralId == linked.ReferralId));
        return linked.ReferralId;
    }

    private async Task<JourneyClosed> ClosedEventAsync(Guid journeyId)
    {
        await using var session = fixture.Store.QuerySession();
        return (await session.Events.FetchStreamAsync(journeyId)).Select(e => e.Data).OfType<JourneyClosed>().Single();
    }

    /// <summary>HAZ-001 C11: an open journey (accepted, not yet agreed), so both a closure and a decline can be tried.</summary>
    [Fact]
    public async Task A_further_referral_nobody_has_read_is_listed_on_the_prompt_and_refuses_closure_and_decline_with_409_until_it_is_acknowledged()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAsync(c);
        var referralId = await LinkFurtherReferralAsync(c, journey.JourneyId);
        using var worker = _scenario.Worker(c);

        var listed = Assert.Single((await worker.Get<ClosurePrompt>($"/journeys/{journey.JourneyId}/closure-prompt")).UnacknowledgedFurtherReferrals);
        var further = (await worker.Get<JourneyView>($"/journeys/{journey.JourneyId}")).FurtherReferrals.Single();
        Assert.Equal((referralId, further.LinkedAt), (listed.ReferralId, listed.LinkedAt));
        var promptText = await (await worker.Send(HttpMethod.Get, $"/journeys/{journey.JourneyId}/closure-prompt")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(FurtherWords, promptText, StringComparison.Ordinal);

        foreach (var (path, body) in new (string, object)[]
                 {
                     ("closure", new { reason = "Deceased", closeWithUnconfirmedConcernReason = "Closing anyway" }),
                     ("decline", new { reason = "Not now" }),
                 })
        {
            var (status, contentType, problem) = await SendAsync(worker, $"/journeys/{journey.JourneyId}/{path}", body);
            Assert.Equal((HttpStatusCode.Conflict, "application/problem+json"), (status, contentType));
            Assert.Contains(referralId.ToString(), problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.DoesNotContain(FurtherWords, problem.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("Nurse Example", problem.ToString(), StringComparison.Ordinal);
        }

        Assert.Equal(JourneyStatus.Open, (await worker.Get<JourneyView>($"/journeys/{journey.JourneyId}")).Status);
        Assert.DoesNotContain(fixture.Probe.All<Integration.JourneyClosed>(), e => e.JourneyId == journey.JourneyId);

        await worker.Post($"/journeys/{journey.JourneyId}/further-referrals/{referralId}/acknowledge").Ok();
        Assert.Empty((await worker.Get<ClosurePrompt>($"/journeys/{journey.JourneyId}/closure-prompt")).UnacknowledgedFurtherReferrals);
        await worker.Post($"/journeys/{journey.JourneyId}/closure", new { reason = "Deceased" }).Ok();
        Assert.Equal(JourneyStatus.Closed, (await worker.Get<JourneyView>($"/journeys/{journey.JourneyId}")).Status);
        Assert.Empty((await ClosedEventAsync(journey.JourneyId)).ClosedWithUnacknowledgedFurtherReferrals);
    }

    [Fact]
    public async Task A_withdrawal_closes_over_a_further_referral_nobody_has_read_records_its_id_and_the_journey_stays_on_the_workers_caseload_until_it_is_read()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAsync(c);
        var referralId = await LinkFurtherReferralAsync(c, journey.JourneyId);
        using var worker = _scenario.Worker(c);

        await fixture.Bus.PublishAsync(new ReferralWithdrawn(c.ReferralId, journey.JourneyId, c.PersonId, "Sorted elsewhere", fixture.Clock.UtcNow));
        await _scenario.WaitForJourneyAsync(journey.JourneyId, c.ProgrammeId, j => j.Status == JourneyStatus.Closed);

        Assert.Equal([referralId], (await ClosedEventAsync(journey.JourneyId)).ClosedWithUnacknowledgedFurtherReferrals);
        var entry = (await worker.Get<TimelineView>($"/journeys/{journey.JourneyId}/timeline")).Entries.Single(e => e.Kind == "JourneyClosed");
        Assert.Contains(referralId.ToString(), entry.Summary, StringComparison.Ordinal);
        var kept = Assert.Single(await worker.Get<List<JourneySummary>>("/caseload"));
        Assert.Equal((journey.JourneyId, JourneyStatus.Closed, 1), (kept.JourneyId, kept.Status, kept.UnacknowledgedFurtherReferrals));

        await worker.Post($"/journeys/{journey.JourneyId}/further-referrals/{referralId}/acknowledge").Ok();
        Assert.Empty(await worker.Get<List<JourneySummary>>("/caseload"));
        Assert.Single(await worker.Get<List<JourneySummary>>("/caseload?includeClosed=true"));
    }

    /// <summary>Intake linked it while the journey was open; support-plan records it after the closure (HAZ-001 C8, C11).</summary>
    [Fact]
    public async Task A_further_referral_recorded_after_the_journey_closed_keeps_it_on_the_workers_caseload_until_it_is_read()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAndAgreeAsync(c);
        using var worker = _scenario.Worker(c);
        await worker.Post($"/journeys/{journey.JourneyId}/closure", new { reason = "GoalsMet" }).Ok();
        Assert.Empty(await worker.Get<List<JourneySummary>>("/caseload"));

        var referralId = await LinkFurtherReferralAsync(c, journey.JourneyId);

        var kept = Assert.Single(await worker.Get<List<JourneySummary>>("/caseload"));
        Assert.Equal((journey.JourneyId, JourneyStatus.Closed, 1), (kept.JourneyId, kept.Status, kept.UnacknowledgedFurtherReferrals));
        await worker.Post($"/journeys/{journey.JourneyId}/further-referrals/{referralId}/acknowledge").Ok();
        Assert.Empty(await worker.Get<List<JourneySummary>>("/caseload"));
    }

    private static async Task<List<JourneySummary>> UnreadFurtherReferralListAsync(HttpClient lead, string programme, bool unread) =>
        [.. (await lead.Get<JourneyPage>($"/journeys?programme={programme}&unreadFurtherReferral={(unread ? "true" : "false")}")).Journeys];

    /// <summary>
    /// HAZ-001 C11, HAZ-007: a journey a team lead closed before any worker took it on has no worker, so it is on nobody's caseload;
    /// a further referral recorded after the closure (intake linked it while the journey was open) reaches the programme's team
    /// leads on their list instead, and a team lead reads and acknowledges it there.
    /// </summary>
    [Fact]
    public async Task A_further_referral_recorded_after_a_journey_nobody_took_on_was_closed_is_on_the_team_leads_unread_list_until_a_team_lead_acknowledges_it()
    {
        var (c, journeyId) = await RegisteredAsync(eligible: true);
        var (_, otherJourneyId) = await RegisteredAsync(eligible: true, programme: c.ProgrammeId);
        using var lead = _scenario.TeamLead(c.ProgrammeId);
        await lead.Post($"/journeys/{journeyId}/closure", new { reason = "MovedAway" }).Ok();

        var referralId = await LinkFurtherReferralAsync(c, journeyId);

        var listed = Assert.Single(await UnreadFurtherReferralListAsync(lead, c.ProgrammeId, unread: true));
        Assert.Equal((journeyId, JourneyStatus.Closed, (string?)null, 1),
            (listed.JourneyId, listed.Status, listed.LinkWorkerId, listed.UnacknowledgedFurtherReferrals));
        Assert.Equal([otherJourneyId], (await UnreadFurtherReferralListAsync(lead, c.ProgrammeId, unread: false)).Select(j => j.JourneyId));

        await lead.Post($"/journeys/{journeyId}/further-referrals/{referralId}/acknowledge").Ok();
        Assert.Empty(await UnreadFurtherReferralListAsync(lead, c.ProgrammeId, unread: true));
        Assert.Equal(new[] { journeyId, otherJourneyId }.Order(),
            (await UnreadFurtherReferralListAsync(lead, c.ProgrammeId, unread: false)).Select(j => j.JourneyId).Order());
    }
}
