using System.Net;
using Npgsql;
using Referrals.Contracts.Intake;
using Referrals.ServiceDefaults.Auth;
using Referrals.SupportPlan.Caseloads;
using Referrals.SupportPlan.Journeys;
using Referrals.SupportPlan.LoneWorking;
using Referrals.SupportPlan.Tests.Support;

namespace Referrals.SupportPlan.Tests.LoneWorking;

/// <summary>Home visits on a test clock: the overdue check-out alert comes from a durable timer, once, even across a restart.</summary>
public sealed class LoneWorkingTests(SupportPlanHost fixture) : IClassFixture<SupportPlanHost>
{
    private readonly Scenario _scenario = new(fixture);

    private async Task<(ReferralCase Case, Guid JourneyId, Guid VisitId)> CheckInAsync(TimeSpan visitLength)
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAndAgreeAsync(c);
        using var worker = _scenario.Worker(c);
        var visit = await worker.Post($"/journeys/{journey.JourneyId}/home-visits", new { expectedEnd = fixture.Clock.UtcNow + visitLength })
            .Expect<JourneyWritten>(HttpStatusCode.Created);
        return (c, journey.JourneyId, visit.Id!.Value);
    }

    /// <summary>Triage moves the journey to another worker (AssignmentAccepted, then LinkWorkerChanged); returns the new worker.</summary>
    private async Task<string> ReassignAsync(ReferralCase c, Guid journeyId)
    {
        var newWorker = "lw-" + Guid.NewGuid().ToString("N")[..8];
        await fixture.Bus.PublishAsync(Scenario.Accepted(c, worker: newWorker, at: fixture.Clock.UtcNow));
        await _scenario.WaitForJourneyAsync(journeyId, c.ProgrammeId, j => j.LinkWorkerId == newWorker);
        return newWorker;
    }

    private IReadOnlyList<Integration.LoneWorkingCheckOutOverdue> AlertsFor(Guid visitId) =>
        fixture.Probe.All<Integration.LoneWorkingCheckOutOverdue>().Where(a => a.VisitId == visitId).ToList();

    /// <summary>
    /// HAZ-008: a check-in sent again (its answer lost to the web app's timeout, or the button pressed twice) must not check in
    /// twice: a second visit would arm a second timer and, once the first is checked out, alert the team lead about a worker
    /// who left safely. The page's If-Match is stale by then (the first check-in moved the version on) and does not matter.
    /// </summary>
    [Fact]
    public async Task A_check_in_sent_again_with_the_same_idempotency_key_records_one_visit_and_gets_the_first_answer_and_after_check_out_is_refused()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAndAgreeAsync(c);
        var id = journey.JourneyId;
        using var worker = _scenario.Worker(c);
        var (_, etag) = await worker.GetWithETag<JourneyView>($"/journeys/{id}");
        var pageVersion = long.Parse(etag!.Trim('"'), System.Globalization.CultureInfo.InvariantCulture);
        var checkIn = new { expectedEnd = fixture.Clock.UtcNow + TimeSpan.FromMinutes(45), idempotencyKey = Guid.NewGuid() };

        // Pressed twice (the two race), then sent again from the page as it was loaded.
        var racing = await Task.WhenAll(worker.Post($"/journeys/{id}/home-visits", checkIn, pageVersion).Expect<JourneyWritten>(HttpStatusCode.Created),
            worker.Post($"/journeys/{id}/home-visits", checkIn, pageVersion).Expect<JourneyWritten>(HttpStatusCode.Created));
        var first = racing[0];
        var again = await worker.Post($"/journeys/{id}/home-visits", checkIn, pageVersion).Expect<JourneyWritten>(HttpStatusCode.Created);

        Assert.Equal(first, racing[1]);
        Assert.Equal(first, again);
        var visit = Assert.Single((await worker.Get<JourneyView>($"/journeys/{id}")).HomeVisits);
        Assert.Equal((first.Id, true), (visit.VisitId, visit.CheckedIn));

        // Sent again after the check-out (the form reached by Back): refused, so the worker is never told they are checked in
        // when no visit is open and no timer set (HAZ-008); nothing new is recorded.
        fixture.Clock.Advance(TimeSpan.FromMinutes(30));
        var checkedOut = await worker.Post($"/journeys/{id}/home-visits/{first.Id}/check-out", new { }).Ok();
        var late = await worker.Post($"/journeys/{id}/home-visits", checkIn).Problem(HttpStatusCode.Conflict);
        Assert.Contains("check in again", late.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var after = await worker.Get<JourneyView>($"/journeys/{id}");
        Assert.Equal(checkedOut.Version, after.Version);
        Assert.False(Assert.Single(after.HomeVisits).CheckedIn);
    }

    /// <summary>
    /// HAZ-008 (review s28): the first check-in had a typo (8 hours) and its answer was lost; the worker corrects it to 30 minutes
    /// and sends the form again under the same key. It must not be answered as done with the first visit's timer (the alert
    /// would come hours late): the visit already open on the journey refuses it, and says when that visit is expected to end.
    /// </summary>
    [Fact]
    public async Task A_check_in_sent_again_with_a_corrected_expected_end_is_never_answered_with_the_first_visits_timer()
    {
        var c = ReferralCase.New();
        var id = (await _scenario.OpenAndAgreeAsync(c)).JourneyId;
        using var worker = _scenario.Worker(c);
        var key = Guid.NewGuid();
        var first = await worker.Post($"/journeys/{id}/home-visits", new { expectedEnd = fixture.Clock.UtcNow + TimeSpan.FromHours(8), idempotencyKey = key })
            .Expect<JourneyWritten>(HttpStatusCode.Created);

        var corrected = await worker.Post($"/journeys/{id}/home-visits", new { expectedEnd = fixture.Clock.UtcNow + TimeSpan.FromMinutes(30), idempotencyKey = key })
            .Problem(HttpStatusCode.Conflict);

        Assert.Contains("still checked in", corrected.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var visit = Assert.Single((await worker.Get<JourneyView>($"/journeys/{id}")).HomeVisits);
        Assert.Equal((first.Id, true), (visit.VisitId, visit.CheckedIn));
    }

    /// <summary>
    /// HAZ-008 (review s28): after a check-out, the check-in form reached again by Back (its key already used) for a new visit
    /// with a new expected end checks in that visit, and its timer alerts; it is never answered with the old, checked-out one.
    /// </summary>
    [Fact]
    public async Task A_new_check_in_after_check_out_from_a_form_with_a_used_key_checks_in_a_new_visit_whose_alert_fires()
    {
        var c = ReferralCase.New();
        var id = (await _scenario.OpenAndAgreeAsync(c)).JourneyId;
        using var worker = _scenario.Worker(c);
        var key = Guid.NewGuid();
        var first = await worker.Post($"/journeys/{id}/home-visits", new { expectedEnd = fixture.Clock.UtcNow + TimeSpan.FromMinutes(20), idempotencyKey = key })
            .Expect<JourneyWritten>(HttpStatusCode.Created);
        fixture.Clock.Advance(TimeSpan.FromMinutes(10));
        await worker.Post($"/journeys/{id}/home-visits/{first.Id}/check-out", new { }).Ok();

        var second = await worker.Post($"/journeys/{id}/home-visits", new { expectedEnd = fixture.Clock.UtcNow + TimeSpan.FromMinutes(40), idempotencyKey = key })
            .Expect<JourneyWritten>(HttpStatusCode.Created);

        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(second.Id, Assert.Single((await worker.Get<JourneyView>($"/journeys/{id}")).HomeVisits, v => v.CheckedIn).VisitId);
        fixture.Clock.Advance(TimeSpan.FromMinutes(41));
        await fixture.Probe.WaitForAsync<Integration.LoneWorkingCheckOutOverdue>(a => a.JourneyId == id && a.VisitId == second.Id);
    }

    [Fact]
    public async Task The_same_idempotency_key_on_another_journey_checks_in_a_visit_of_its_own_with_its_own_alert()
    {
        // The key is the client's: it must never name, or share the check-out timer of, a visit on another journey, even the same worker's.
        var first = ReferralCase.New();
        var second = ReferralCase.New(first.ProgrammeId) with { WorkerId = first.WorkerId };
        var firstJourney = (await _scenario.OpenAndAgreeAsync(first)).JourneyId;
        var secondJourney = (await _scenario.OpenAndAgreeAsync(second)).JourneyId;
        using var worker = _scenario.Worker(first);
        var checkIn = new { expectedEnd = fixture.Clock.UtcNow + TimeSpan.FromMinutes(30), idempotencyKey = Guid.NewGuid() };

        var firstVisit = (await worker.Post($"/journeys/{firstJourney}/home-visits", checkIn).Expect<JourneyWritten>(HttpStatusCode.Created)).Id;
        var secondVisit = (await worker.Post($"/journeys/{secondJourney}/home-visits", checkIn).Expect<JourneyWritten>(HttpStatusCode.Created)).Id;

        Assert.NotEqual(firstVisit, secondVisit);
        fixture.Clock.Advance(TimeSpan.FromMinutes(31));
        await fixture.Probe.WaitForAsync<Integration.LoneWorkingCheckOutOverdue>(a => a.JourneyId == firstJourney && a.VisitId == firstVisit);
        await fixture.Probe.WaitForAsync<Integration.LoneWorkingCheckOutOverdue>(a => a.JourneyId == secondJourney && a.VisitId == secondVisit);
    }

    [Fact]
    public async Task A_check_out_timer_handled_before_the_expected_end_by_this_hosts_clock_still_alerts_at_the_expected_end()
    {
        var (c, journeyId, visitId) = await CheckInAsync(TimeSpan.FromMinutes(60));
        var expectedEnd = fixture.Clock.UtcNow + TimeSpan.FromMinutes(60);

        // Another instance's poller, its clock a second ahead, fired the timer: the timer is spent, and its message reaches
        // this instance a second before the expected end by this instance's clock.
        await using (var connection = new NpgsqlConnection(fixture.Infrastructure.PostgresConnectionString))
        {
            await connection.OpenAsync();
            await using var spend = new NpgsqlCommand($"update \"{fixture.Schema}\".mt_timers set fired_at = now() where key = $1", connection);
            spend.Parameters.AddWithValue(JourneyEffects.LoneWorkingTimerKey(visitId));
            Assert.Equal(1, await spend.ExecuteNonQueryAsync());
        }

        fixture.Clock.Advance(TimeSpan.FromMinutes(60) - TimeSpan.FromSeconds(1));
        await fixture.Bus.PublishAsync(new Integration.LoneWorkingCheckOutDue(visitId, journeyId, c.PersonId, expectedEnd));
        await Task.Delay(1500);
        Assert.Empty(AlertsFor(visitId));

        fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        await fixture.Probe.WaitForAsync<Integration.LoneWorkingCheckOutOverdue>(a => a.VisitId == visitId);
        Assert.Single(AlertsFor(visitId));
    }

    [Fact]
    public async Task A_home_visit_not_checked_out_by_its_end_alerts_the_team_lead_once()
    {
        var (c, journeyId, visitId) = await CheckInAsync(TimeSpan.FromMinutes(60));

        fixture.Clock.Advance(TimeSpan.FromMinutes(61));
        var alert = await fixture.Probe.WaitForAsync<Integration.LoneWorkingCheckOutOverdue>(a => a.VisitId == visitId);

        Assert.Equal((journeyId, c.ProgrammeId, c.WorkerId), (alert.JourneyId, alert.ProgrammeId, alert.LinkWorkerId));
        using var lead = _scenario.TeamLead(c.ProgrammeId);
        var overdue = await lead.Get<List<OverdueVisit>>("/lone-working/overdue");
        Assert.Contains(overdue, v => v.VisitId == visitId);
        var list = await lead.Get<JourneyPage>($"/journeys?loneWorkingAlert=true&programme={c.ProgrammeId}");
        Assert.Equal([journeyId], list.Journeys.Select(j => j.JourneyId).ToArray());

        fixture.Clock.Advance(TimeSpan.FromHours(3));
        await Task.Delay(1500); // several timer polls
        Assert.Single(AlertsFor(visitId));

        // The worker was fine, just late: checking out resolves the alert.
        using var worker = _scenario.Worker(c);
        await worker.Post($"/journeys/{journeyId}/home-visits/{visitId}/check-out", new { }).Ok();
        Assert.DoesNotContain(await lead.Get<List<OverdueVisit>>("/lone-working/overdue"), v => v.VisitId == visitId);
    }

    [Fact]
    public async Task A_visit_checked_out_in_time_raises_no_alert()
    {
        var (c, journeyId, visitId) = await CheckInAsync(TimeSpan.FromMinutes(45));
        fixture.Clock.Advance(TimeSpan.FromMinutes(40));
        using var worker = _scenario.Worker(c);
        await worker.Post($"/journeys/{journeyId}/home-visits/{visitId}/check-out", new { }).Ok();

        fixture.Clock.Advance(TimeSpan.FromHours(2));
        await Task.Delay(1500);

        Assert.Empty(AlertsFor(visitId));
        var journey = await worker.Get<JourneyView>($"/journeys/{journeyId}");
        var contact = journey.Contacts.Single(x => x.Kind == ContactKind.HomeVisit);
        Assert.Equal(40, contact.DurationMinutes);
        Assert.False(journey.HomeVisits.Single().CheckedIn);
    }

    /// <summary>
    /// HAZ-008 C5: a referrer's withdrawal cannot wait for the worker to leave the home, so it closes the journey during the
    /// visit; the worker still checks out, which disarms the alert as on an open journey and records the visit as a contact.
    /// </summary>
    [Fact]
    public async Task A_withdrawal_during_a_home_visit_closes_the_journey_and_the_check_out_still_disarms_the_alert_and_records_the_visit()
    {
        var c = ReferralCase.New();
        var opened = await _scenario.OpenAsync(c);
        using var worker = _scenario.Worker(c);
        var visit = await worker.Post($"/journeys/{opened.JourneyId}/home-visits", new { expectedEnd = fixture.Clock.UtcNow + TimeSpan.FromMinutes(45) })
            .Expect<JourneyWritten>(HttpStatusCode.Created);
        var checkedInAt = fixture.Clock.UtcNow;

        await fixture.Bus.PublishAsync(new ReferralWithdrawn(c.ReferralId, opened.JourneyId, c.PersonId, "Sorted elsewhere", fixture.Clock.UtcNow));
        await _scenario.WaitForJourneyAsync(opened.JourneyId, c.ProgrammeId, j => j.Status == JourneyStatus.Closed);
        fixture.Clock.Advance(TimeSpan.FromMinutes(30));
        await worker.Post($"/journeys/{opened.JourneyId}/home-visits/{visit.Id}/check-out", new { }).Ok();

        fixture.Clock.Advance(TimeSpan.FromHours(2));
        await Task.Delay(1500);
        Assert.Empty(AlertsFor(visit.Id!.Value));
        var journey = await _scenario.WaitForJourneyAsync(opened.JourneyId, c.ProgrammeId, j => !j.HomeVisits.Single().CheckedIn);
        Assert.Equal(JourneyStatus.Closed, journey.Status);
        var contact = Assert.Single(journey.Contacts);
        Assert.Equal((ContactKind.HomeVisit, 30, checkedInAt), (contact.Kind, contact.DurationMinutes, contact.OccurredAt));
        Assert.Equal(checkedInAt, journey.Engagement.LastContactAt);
    }

    [Fact]
    public async Task A_visit_that_falls_due_while_the_service_is_down_alerts_once_after_the_restart()
    {
        var (_, _, visitId) = await CheckInAsync(TimeSpan.FromMinutes(30));

        await fixture.StopHostAsync();
        fixture.Clock.Advance(TimeSpan.FromHours(1));
        await fixture.StartHostAsync();

        await fixture.Probe.WaitForAsync<Integration.LoneWorkingCheckOutOverdue>(a => a.VisitId == visitId);
        await Task.Delay(1500);
        Assert.Single(AlertsFor(visitId));
    }

    [Fact]
    public async Task An_alert_already_raised_is_not_raised_again_after_a_restart()
    {
        var (c, journeyId, visitId) = await CheckInAsync(TimeSpan.FromMinutes(30));
        fixture.Clock.Advance(TimeSpan.FromMinutes(31));
        await fixture.Probe.WaitForAsync<Integration.LoneWorkingCheckOutOverdue>(a => a.VisitId == visitId);

        await fixture.RestartAsync();
        fixture.Clock.Advance(TimeSpan.FromHours(2));
        await Task.Delay(2000);

        // Raised once: one event, one entry on the team lead's list, one MessageId. The broker may carry that message twice
        // (the outbox delivers at least once, e.g. the old host stopped mid-delivery); a consumer's inbox applies it once.
        await using var session = fixture.Store.QuerySession();
        var events = await session.Events.FetchStreamAsync(journeyId);
        Assert.Single(events, e => e.Data is SupportPlan.LoneWorking.LoneWorkingCheckOutOverdue);
        using var lead = _scenario.TeamLead(c.ProgrammeId);
        Assert.Single(await lead.Get<List<OverdueVisit>>("/lone-working/overdue"), v => v.VisitId == visitId);
        Assert.Single(fixture.Probe.Messages.Where(m => m.Message is Integration.LoneWorkingCheckOutOverdue a && a.VisitId == visitId)
            .Select(m => m.MessageId).Distinct());
    }

    [Fact]
    public async Task A_team_lead_takes_charge_of_an_overdue_visit_alert()
    {
        var (c, journeyId, visitId) = await CheckInAsync(TimeSpan.FromMinutes(20));
        fixture.Clock.Advance(TimeSpan.FromMinutes(25));
        await fixture.Probe.WaitForAsync<Integration.LoneWorkingCheckOutOverdue>(a => a.VisitId == visitId);
        await _scenario.WaitForJourneyAsync(journeyId, c.ProgrammeId, j => j.HomeVisits.Single().AlertOutstanding);

        using var worker = _scenario.Worker(c);
        await worker.Post($"/journeys/{journeyId}/home-visits/{visitId}/alert-acknowledgement").Problem(HttpStatusCode.Conflict);
        using var lead = fixture.Host.ClientFor(Roles.TeamLead, (ReferralsClaims.Programme, c.ProgrammeId));
        await lead.Post($"/journeys/{journeyId}/home-visits/{visitId}/alert-acknowledgement").Ok();

        var journey = await lead.Get<JourneyView>($"/journeys/{journeyId}");
        Assert.False(journey.HomeVisits.Single().AlertOutstanding);
        Assert.NotNull(journey.HomeVisits.Single().AlertAcknowledgedBy);
    }

    [Fact]
    public async Task Another_worker_cannot_check_out_a_visit_that_is_not_theirs_and_silence_its_alert()
    {
        var (c, journeyId, visitId) = await CheckInAsync(TimeSpan.FromMinutes(60));
        var newWorker = await ReassignAsync(c, journeyId);
        using var other = _scenario.Worker(newWorker, c.ProgrammeId);

        var blocked = await other.Post($"/journeys/{journeyId}/home-visits", new { expectedEnd = fixture.Clock.UtcNow + TimeSpan.FromMinutes(30) })
            .Problem(HttpStatusCode.Conflict);
        Assert.DoesNotContain("check out of it first", blocked.GetProperty("detail").GetString(), StringComparison.Ordinal);
        using (var refused = await other.Post($"/journeys/{journeyId}/home-visits/{visitId}/check-out", new { }))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.DoesNotContain(c.WorkerId, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var lead = _scenario.TeamLead(c.ProgrammeId);
        await lead.Post($"/journeys/{journeyId}/home-visits/{visitId}/check-out", new { }).Problem(HttpStatusCode.Conflict);

        fixture.Clock.Advance(TimeSpan.FromMinutes(61));
        await fixture.Probe.WaitForAsync<Integration.LoneWorkingCheckOutOverdue>(a => a.VisitId == visitId);
        await Task.Delay(1500);
        Assert.Single(AlertsFor(visitId));
    }

    [Fact]
    public async Task The_worker_on_a_visit_can_still_check_out_after_the_journey_is_reassigned()
    {
        var (c, journeyId, visitId) = await CheckInAsync(TimeSpan.FromMinutes(60));
        await ReassignAsync(c, journeyId);
        fixture.Clock.Advance(TimeSpan.FromMinutes(30));

        using var visiting = _scenario.Worker(c);
        await visiting.Post($"/journeys/{journeyId}/home-visits/{visitId}/check-out", new { }).Ok();

        // What a check-out records is recorded; the worker gains nothing else on the journey they no longer hold.
        var journey = await _scenario.WaitForJourneyAsync(journeyId, c.ProgrammeId, j => !j.HomeVisits.Single().CheckedIn);
        Assert.Equal(30, journey.Contacts.Single(x => x.Kind == ContactKind.HomeVisit).DurationMinutes);
        await visiting.Send(HttpMethod.Get, $"/journeys/{journeyId}").Problem(HttpStatusCode.Forbidden);
        await visiting.Post($"/journeys/{journeyId}/home-visits", new { expectedEnd = fixture.Clock.UtcNow + TimeSpan.FromMinutes(30) })
            .Problem(HttpStatusCode.Forbidden);
        fixture.Clock.Advance(TimeSpan.FromMinutes(60));
        await Task.Delay(1500);
        Assert.Empty(AlertsFor(visitId));
    }

    [Fact]
    public async Task A_worker_finds_their_own_open_visit_after_the_journey_is_reassigned_and_nobody_else_is_shown_it()
    {
        var (c, journeyId, visitId) = await CheckInAsync(TimeSpan.FromMinutes(60));
        var newWorker = await ReassignAsync(c, journeyId);

        using var visiting = _scenario.Worker(c);
        var mine = Assert.Single(await visiting.Get<List<MyOpenHomeVisit>>("/journeys/home-visits/mine"), v => v.VisitId == visitId);
        Assert.Equal((journeyId, c.ReferralId, fixture.Clock.UtcNow + TimeSpan.FromMinutes(60)), (mine.JourneyId, mine.ReferralId, mine.ExpectedEnd));
        using var holder = _scenario.Worker(newWorker, c.ProgrammeId);
        Assert.DoesNotContain(await holder.Get<List<MyOpenHomeVisit>>("/journeys/home-visits/mine"), v => v.VisitId == visitId);
        using var lead = _scenario.TeamLead(c.ProgrammeId);
        Assert.DoesNotContain(await lead.Get<List<MyOpenHomeVisit>>("/journeys/home-visits/mine"), v => v.VisitId == visitId);

        // The alert's state shows too, and a checked-out visit leaves the list.
        fixture.Clock.Advance(TimeSpan.FromMinutes(61));
        await fixture.Probe.WaitForAsync<Integration.LoneWorkingCheckOutOverdue>(a => a.VisitId == visitId);
        await _scenario.WaitForJourneyAsync(journeyId, c.ProgrammeId, j => j.HomeVisits.Single().AlertOutstanding);
        Assert.NotNull(Assert.Single(await visiting.Get<List<MyOpenHomeVisit>>("/journeys/home-visits/mine"), v => v.VisitId == visitId)
            .OverdueAlertRaisedAt);
        await visiting.Post($"/journeys/{mine.JourneyId}/home-visits/{mine.VisitId}/check-out", new { }).Ok();
        Assert.DoesNotContain(await visiting.Get<List<MyOpenHomeVisit>>("/journeys/home-visits/mine"), v => v.VisitId == visitId);
    }

    [Fact]
    public async Task An_open_visit_stored_with_an_explicit_null_check_out_is_still_found_by_the_visiting_worker()
    {
        var (c, journeyId, visitId) = await CheckInAsync(TimeSpan.FromMinutes(60));

        // The store omits nulls today; a document written with "checkedOutAt": null (another serializer setting, a repair
        // by hand) must still count as open, or a lone worker would lose their check-out from the worklist (HAZ-008).
        await using (var connection = new NpgsqlConnection(fixture.Infrastructure.PostgresConnectionString))
        {
            await connection.OpenAsync();
            await using var rewrite = new NpgsqlCommand(
                $"update \"{fixture.Schema}\".mt_doc_journey set data = jsonb_set(data, '{{visits,0,checkedOutAt}}', 'null') where id = $1", connection);
            rewrite.Parameters.AddWithValue(journeyId.ToString("D"));
            Assert.Equal(1, await rewrite.ExecuteNonQueryAsync());
        }

        using var visiting = _scenario.Worker(c);
        Assert.Single(await visiting.Get<List<MyOpenHomeVisit>>("/journeys/home-visits/mine"), v => v.VisitId == visitId);
    }

    [Fact]
    public async Task A_late_worker_checking_out_from_the_page_they_had_open_is_not_refused_because_the_alert_fired()
    {
        var (c, journeyId, visitId) = await CheckInAsync(TimeSpan.FromMinutes(30));
        using var worker = _scenario.Worker(c);
        var (_, etag) = await worker.GetWithETag<JourneyView>($"/journeys/{journeyId}");
        var version = long.Parse(etag!.Trim('"'), System.Globalization.CultureInfo.InvariantCulture);

        fixture.Clock.Advance(TimeSpan.FromMinutes(31));
        await fixture.Probe.WaitForAsync<Integration.LoneWorkingCheckOutOverdue>(a => a.VisitId == visitId);
        await _scenario.WaitForJourneyAsync(journeyId, c.ProgrammeId, j => j.HomeVisits.Single().AlertOutstanding);

        await worker.Post($"/journeys/{journeyId}/home-visits/{visitId}/check-out", new { }, ifMatch: version).Ok();
        Assert.False((await worker.Get<JourneyView>($"/journeys/{journeyId}")).HomeVisits.Single().AlertOutstanding);
    }
}
