using System.Net;
using Referrals.Contracts;
using Referrals.Contracts.Intake;
using Referrals.SupportPlan.Closing;
using Referrals.SupportPlan.Journeys;
using Referrals.SupportPlan.MeasuringOutcomes;
using Referrals.SupportPlan.Tests.Support;

namespace Referrals.SupportPlan.Tests.MeasuringOutcomes;

/// <summary>Outcome measures, consent, safeguarding, the first-contact decision and the person's data, through the API and the bus.</summary>
public sealed class RecordingTests(SupportPlanHost fixture) : IClassFixture<SupportPlanHost>
{
    private readonly Scenario _scenario = new(fixture);

    [Fact]
    public async Task Invalid_answers_get_400_naming_the_item()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAndAgreeAsync(c);
        using var worker = _scenario.Worker(c);
        var url = $"/journeys/{journey.JourneyId}/outcome-measures";

        var outOfRange = await worker.Post(url, new { instrument = "Swemwbs", point = "Baseline", items = new[] { 3, 3, 3, 6, 3, 3, 3 } }).Problem(HttpStatusCode.BadRequest);
        var notANumber = await worker.Post(url, new { instrument = "Wemwbs", point = "Baseline", items = new object[] { 3, 3, "often", 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3 } })
            .Problem(HttpStatusCode.BadRequest);
        var tooFew = await worker.Post(url, new { instrument = "Wemwbs", point = "Baseline", items = new[] { 3, 3 } }).Problem(HttpStatusCode.BadRequest);
        var anxious = await worker.Post(url, new { instrument = "Ons4", point = "Baseline", ons4 = new { lifeSatisfaction = 5, worthwhile = 5, happy = 5, anxious = 12 } })
            .Problem(HttpStatusCode.BadRequest);
        var pam = await worker.Post(url, new { instrument = "Pam", point = "Baseline", pamScore = 120 }).Problem(HttpStatusCode.BadRequest);

        Assert.Equal(["items[3]"], outOfRange.ErrorFields());
        Assert.Contains("Item 4", outOfRange.GetProperty("errors").GetProperty("items[3]")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(["items[2]"], notANumber.ErrorFields());
        Assert.Equal(["items"], tooFew.ErrorFields());
        Assert.Equal(["ons4.anxious"], anxious.ErrorFields());
        Assert.Equal(["pamScore"], pam.ErrorFields());
        Assert.Equal(journey.Version, (await worker.Get<JourneyView>($"/journeys/{journey.JourneyId}")).Version);
    }

    [Fact]
    public async Task A_pam_level_that_does_not_match_the_score_is_refused_without_repeating_the_score_or_the_levels()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAndAgreeAsync(c);
        using var worker = _scenario.Worker(c);

        var problem = await worker.Post($"/journeys/{journey.JourneyId}/outcome-measures", new { instrument = "Pam", point = "Baseline", pamScore = 52.3m, pamLevel = 4 })
            .Problem(HttpStatusCode.BadRequest);

        Assert.Equal(["pamLevel"], problem.ErrorFields());
        var body = problem.ToString();
        foreach (var echoed in new[] { "52.3", "52,3", "Level 4", "level 2" })
        {
            Assert.DoesNotContain(echoed, body, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Each_instrument_is_scored_and_its_change_from_baseline_reported()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAndAgreeAsync(c);
        using var worker = _scenario.Worker(c);
        var url = $"/journeys/{journey.JourneyId}/outcome-measures";

        await worker.Post(url, new { instrument = "Swemwbs", point = "Baseline", items = new[] { 3, 3, 3, 3, 3, 3, 2 } }).Ok(); // raw 20 -> 18.59
        var swemwbs = await worker.Post(url, new { instrument = "Swemwbs", point = "FollowUp", items = new[] { 4, 4, 4, 4, 3, 3, 3 } }) // raw 25 -> 22.35
            .Expect<OutcomeMeasureRecorded>(HttpStatusCode.Created);
        await worker.Post(url, new { instrument = "Ons4", point = "Baseline", ons4 = new { lifeSatisfaction = 4, worthwhile = 5, happy = 3, anxious = 8 } }).Ok();
        await worker.Post(url, new { instrument = "Ons4", point = "FollowUp", ons4 = new { lifeSatisfaction = 6, worthwhile = 5, happy = 5, anxious = 4 } }).Ok();
        await worker.Post(url, new { instrument = "Pam", point = "Baseline", pamScore = 47.0 }).Ok();
        var pam = await worker.Post(url, new { instrument = "Pam", point = "FollowUp", pamScore = 67.1, pamLevel = 4 }).Expect<OutcomeMeasureRecorded>(HttpStatusCode.Created);
        await worker.Post(url, new { instrument = "Pam", point = "Baseline", pamScore = 50 }).Problem(HttpStatusCode.Conflict);

        Assert.Equal((25, 22.35m, 3.76m, true), (swemwbs.Measurement.RawScore, swemwbs.Measurement.Score, swemwbs.Measurement.ChangeSinceBaseline, swemwbs.Measurement.MeaningfulChange));
        Assert.Equal((4, 20.1m, (bool?)null), (pam.Measurement.PamLevel, pam.Measurement.ChangeSinceBaseline, pam.Measurement.MeaningfulChange));

        var progress = await worker.Get<List<InstrumentProgress>>(url);
        var ons4 = progress.Single(p => p.Instrument == Instrument.Ons4);
        var anxious = ons4.Ons4Items!.Single(i => i.Item == "Anxious");
        Assert.Equal((8, 4, -4, ChangeDirection.Improved), (anxious.Baseline, anxious.Latest, anxious.Change, anxious.Direction));
        Assert.Equal(ChangeDirection.Unchanged, ons4.Ons4Items!.Single(i => i.Item == "Worthwhile").Direction);
        Assert.Null(ons4.Change);
        Assert.Equal(1, progress.Single(p => p.Instrument == Instrument.Pam).Baseline!.PamLevel);

        var published = await fixture.Probe.WaitForAsync<Integration.OutcomeMeasured>(e => e.JourneyId == journey.JourneyId && e.Instrument == Instrument.Swemwbs && e.Point == MeasurementPoint.FollowUp);
        Assert.Equal((22.35m, 25, 3.76m, true), (published.Score!.Value, published.RawScore!.Value, published.ChangeSinceBaseline!.Value, published.MeaningfulChange!.Value));
    }

    [Fact]
    public async Task A_journey_reopened_by_a_re_referral_is_measured_afresh_from_a_new_baseline_to_a_new_closing_measure()
    {
        var (journeyId, again) = await ReopenedAfterMeasuringAsync();
        using var worker = _scenario.Worker(again);
        var url = $"/journeys/{journeyId}/outcome-measures";
        Assert.Empty((await worker.Get<ClosurePrompt>($"/journeys/{journeyId}/closure-prompt")).ClosingMeasuresDue);

        await worker.Post(url, new { instrument = "Swemwbs", point = "Baseline", items = new[] { 4, 4, 4, 4, 4, 4, 4 } }).Ok(); // raw 28 -> 25.03
        var followUp = await worker.Post(url, new { instrument = "Swemwbs", point = "FollowUp", items = new[] { 3, 3, 3, 3, 3, 3, 3 } }) // raw 21 -> 19.25
            .Expect<OutcomeMeasureRecorded>(HttpStatusCode.Created);
        var again409 = await worker.Post(url, new { instrument = "Swemwbs", point = "Baseline", items = new[] { 3, 3, 3, 3, 3, 3, 3 } }).Problem(HttpStatusCode.Conflict);
        var due = (await worker.Get<ClosurePrompt>($"/journeys/{journeyId}/closure-prompt")).ClosingMeasuresDue;
        var closing = await worker.Post(url, new { instrument = "Swemwbs", point = "Closing", items = new[] { 5, 5, 5, 5, 5, 5, 5 } }) // raw 35 -> 35.00
            .Expect<OutcomeMeasureRecorded>(HttpStatusCode.Created);

        Assert.Equal((2, -5.78m, ChangeDirection.Worsened), (followUp.Measurement.Episode, followUp.Measurement.ChangeSinceBaseline!.Value, followUp.Direction!.Value));
        Assert.Contains("already recorded in this episode", again409.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal([Instrument.Swemwbs], due);
        Assert.Equal((2, 9.97m), (closing.Measurement.Episode, closing.Measurement.ChangeSinceBaseline!.Value));

        var progress = Assert.Single(await worker.Get<List<InstrumentProgress>>(url));
        Assert.Equal((2, 25.03m, 35.00m, 9.97m), (progress.Episode, progress.Baseline!.Score!.Value, progress.Latest!.Score!.Value, progress.Change!.Value));
        Assert.Equal([1, 1, 2, 2, 2], progress.Measurements.Select(m => m.Episode));
        var view = await worker.Get<JourneyView>($"/journeys/{journeyId}");
        Assert.Equal([1, 1, 2, 2, 2], view.Measurements.Select(m => m.Episode));
        Assert.Empty(view.ClosingMeasuresDue);
        var published = await fixture.Probe.WaitForAsync<Integration.OutcomeMeasured>(e => e.JourneyId == journeyId && e.Point == MeasurementPoint.Closing && e.Episode == 2);
        Assert.Equal(9.97m, published.ChangeSinceBaseline);
        Assert.Equal(1, fixture.Probe.All<Integration.OutcomeMeasured>().Single(e => e.JourneyId == journeyId && e.Point == MeasurementPoint.Baseline && e.Score == 15.32m).Episode);
    }

    [Fact]
    public async Task A_journey_document_stored_before_measurements_carried_their_episode_shows_each_in_the_episode_it_was_recorded_in()
    {
        var once = ReferralCase.New();
        var openedOnce = await _scenario.OpenAndAgreeAsync(once);
        using var onceWorker = _scenario.Worker(once);
        await onceWorker.Post($"/journeys/{openedOnce.JourneyId}/outcome-measures", new { instrument = "Wemwbs", point = "Baseline", items = Enumerable.Repeat(3, 14) }).Ok();
        var (journeyId, again) = await ReopenedAfterMeasuringAsync();
        using var worker = _scenario.Worker(again);
        await worker.Post($"/journeys/{journeyId}/outcome-measures", new { instrument = "Swemwbs", point = "Baseline", items = new[] { 4, 4, 4, 4, 4, 4, 4 } }).Ok();

        // As stored before: the journey document is updated event by event, so its measurements keep no episode.
        foreach (var id in new[] { openedOnce.JourneyId, journeyId })
        {
            await using var session = fixture.Store.LightweightSession();
            var stored = (await session.LoadAsync<Journey>(id))!;
            session.Store(stored with { Measurements = [.. stored.Measurements.Select(m => m with { Episode = 0 })] });
            await session.SaveChangesAsync();
        }

        var view = await worker.Get<JourneyView>($"/journeys/{journeyId}");
        var progress = Assert.Single(await worker.Get<List<InstrumentProgress>>($"/journeys/{journeyId}/outcome-measures"));
        var onceView = await onceWorker.Get<JourneyView>($"/journeys/{openedOnce.JourneyId}");

        Assert.Equal([1, 1, 2], view.Measurements.Select(m => m.Episode));
        Assert.Equal([Instrument.Swemwbs], view.ClosingMeasuresDue);
        Assert.Equal(25.03m, progress.Baseline!.Score);
        Assert.Equal(1, Assert.Single(onceView.Measurements).Episode);
        Assert.Equal([Instrument.Wemwbs], onceView.ClosingMeasuresDue);
    }

    /// <summary>
    /// A journey measured (SWEMWBS baseline 15.32, closing 19.25) and closed in episode 1, then reopened by a re-referral 30 days
    /// later for another worker: the person had agreed, so it is active in episode 2.
    /// </summary>
    private async Task<(Guid JourneyId, ReferralCase Again)> ReopenedAfterMeasuringAsync()
    {
        var first = ReferralCase.New();
        var journey = await _scenario.OpenAndAgreeAsync(first);
        using (var worker = _scenario.Worker(first))
        {
            var url = $"/journeys/{journey.JourneyId}/outcome-measures";
            await worker.Post(url, new { instrument = "Swemwbs", point = "Baseline", items = new[] { 2, 2, 2, 2, 2, 2, 2 } }).Ok(); // raw 14 -> 15.32
            await worker.Post(url, new { instrument = "Swemwbs", point = "Closing", items = new[] { 3, 3, 3, 3, 3, 3, 3 } }).Ok(); // raw 21 -> 19.25
            await worker.Post($"/journeys/{journey.JourneyId}/closure", new { reason = "GoalsMet" }).Ok();
        }

        var again = first.ReReferral() with { WorkerId = "lw-" + Guid.NewGuid().ToString("N")[..8] };
        await fixture.Bus.PublishAsync(Scenario.Submitted(again, journey.JourneyId, fixture.Clock.UtcNow.AddDays(30)));
        await fixture.Bus.PublishAsync(Scenario.Triaged(again));
        await fixture.Bus.PublishAsync(Scenario.Accepted(again));
        var reopened = await _scenario.WaitForJourneyAsync(journey.JourneyId, first.ProgrammeId, j => j.LinkWorkerId == again.WorkerId);
        Assert.Equal((2, JourneyStatus.Active), (reopened.Episode, reopened.Status));
        return (journey.JourneyId, again);
    }

    [Fact]
    public async Task A_decline_at_first_contact_is_published_and_closes_the_journey()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAsync(c);
        using var worker = _scenario.Worker(c);

        await worker.Post($"/journeys/{journey.JourneyId}/decline", new { reason = "Has enough support" }).Ok();

        var declined = await fixture.Probe.WaitForAsync<Integration.SocialPrescribingDeclined>(e => e.JourneyId == journey.JourneyId);
        var closed = await fixture.Probe.WaitForAsync<Integration.JourneyClosed>(e => e.JourneyId == journey.JourneyId);
        Assert.Equal("Has enough support", declined.Reason);
        Assert.Equal(ClosureReason.Declined, closed.Reason);
        await worker.Post($"/journeys/{journey.JourneyId}/contacts", new { kind = "Phone", outcome = "Attended", durationMinutes = 5 }).Problem(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Consent_changes_over_time_are_published_for_GP_records_even_after_closure()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAndAgreeAsync(c);
        using var worker = _scenario.Worker(c);

        await worker.Post($"/journeys/{journey.JourneyId}/consent", new { scope = "CodedOnly", withdrawn = false }).Ok();
        await worker.Post($"/journeys/{journey.JourneyId}/consent", new { scope = "Full", withdrawn = true }).Problem(HttpStatusCode.BadRequest);
        await worker.Post($"/journeys/{journey.JourneyId}/closure", new { reason = "PersonChoseToEnd" }).Ok();
        await worker.Post($"/journeys/{journey.JourneyId}/consent", new { scope = "None", withdrawn = true, reason = "Changed their mind" }).Ok();

        await fixture.Probe.WaitForAsync<Integration.ConsentScopeChanged>(e => e.JourneyId == journey.JourneyId && e.Withdrawn);
        var changes = fixture.Probe.All<Integration.ConsentScopeChanged>().Where(e => e.JourneyId == journey.JourneyId).ToList();
        Assert.Equal([(ConsentScope.CodedOnly, false), (ConsentScope.None, true)], changes.Select(e => (e.Scope, e.Withdrawn)).ToArray());
        var view = await worker.Get<JourneyView>($"/journeys/{journey.JourneyId}");
        Assert.Equal((ConsentScope.None, true, 2), (view.Consent.Scope, view.Consent.Withdrawn, view.Consent.Changes.Count));
    }

    [Fact]
    public async Task A_safeguarding_concern_is_published_for_escalation_at_any_point_of_the_journey()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAsync(c);
        using var worker = _scenario.Worker(c);

        var concern = await worker.Post($"/journeys/{journey.JourneyId}/safeguarding-concerns",
            new { crisis = true, indicators = new[] { "suicidal-ideation" }, details = "Said they had a plan" }).Expect<JourneyWritten>(HttpStatusCode.Created);
        await worker.Post($"/journeys/{journey.JourneyId}/safeguarding-concerns", new { crisis = false, indicators = Array.Empty<string>() }).Problem(HttpStatusCode.BadRequest);

        var raised = await fixture.Probe.WaitForAsync<Integration.SafeguardingConcernRaised>(e => e.ConcernId == concern.Id);
        Assert.Equal((journey.JourneyId, c.ReferralId, c.ProgrammeId, true), (raised.JourneyId, raised.ReferralId, raised.ProgrammeId, raised.Crisis));
        Assert.Equal(["suicidal-ideation"], raised.Indicators);
        Assert.Equal("Said they had a plan", raised.Details);
        var summary = (await _scenario.TeamLead(c.ProgrammeId).Get<SupportPlan.Caseloads.JourneyPage>($"/journeys?safeguarding=true&programme={c.ProgrammeId}")).Journeys.Single();
        Assert.True(summary.Crisis);
    }

    [Fact]
    public async Task A_safeguarding_concern_raised_from_a_page_loaded_before_another_change_is_not_refused_for_its_stale_version()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAndAgreeAsync(c);
        using var worker = _scenario.Worker(c);
        var (_, etag) = await worker.GetWithETag<JourneyView>($"/journeys/{journey.JourneyId}");
        var loaded = long.Parse(etag!.Trim('"'), System.Globalization.CultureInfo.InvariantCulture);
        await worker.Post($"/journeys/{journey.JourneyId}/contacts", new { kind = "Phone", outcome = "Attended", durationMinutes = 10 }).Ok();

        var concern = await worker.Post($"/journeys/{journey.JourneyId}/safeguarding-concerns",
            new { crisis = true, indicators = new[] { "suicidal-ideation" } }, ifMatch: loaded).Expect<JourneyWritten>(HttpStatusCode.Created);
        await fixture.Probe.WaitForAsync<Integration.SafeguardingConcernRaised>(e => e.ConcernId == concern.Id);
    }

    [Fact]
    public async Task The_assessment_and_agreed_plan_are_published_for_the_GP_record()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAndAgreeAsync(c);
        using var worker = _scenario.Worker(c);
        await worker.PutAsRead($"/journeys/{journey.JourneyId}", $"/journeys/{journey.JourneyId}/assessment/what-matters", new { narrative = "Seeing my grandchildren" }).Ok();
        await worker.Post($"/journeys/{journey.JourneyId}/assessment/needs", new { domain = "CarerRole", priority = "High" }).Ok();
        await worker.Post($"/journeys/{journey.JourneyId}/plan/agreement", new { personAgreed = true }).Problem(HttpStatusCode.Conflict);
        await worker.Post($"/journeys/{journey.JourneyId}/plan/goals", new { description = "A weekend off each month", targetDate = "2026-06-30" }).Ok();
        await worker.Post($"/journeys/{journey.JourneyId}/plan/agreement", new { personAgreed = false }).Problem(HttpStatusCode.BadRequest);
        await worker.Post($"/journeys/{journey.JourneyId}/plan/agreement", new { personAgreed = true, nextReviewDate = "2026-02-01" }).Ok();

        var needs = await fixture.Probe.WaitForAsync<Integration.WhatMattersRecorded>(e => e.JourneyId == journey.JourneyId && e.Needs.Count == 1);
        var plan = await fixture.Probe.WaitForAsync<Integration.SupportPlanAgreed>(e => e.JourneyId == journey.JourneyId);
        Assert.Equal(("Seeing my grandchildren", NeedCategory.CarerSupport), (needs.WhatMatters, needs.Needs[0]));
        Assert.Equal("A weekend off each month", plan.Goals!.Single().Description);
        Assert.Equal(new DateOnly(2026, 2, 1), plan.ReviewDate);
    }

    [Fact]
    public async Task The_persons_corrected_details_reach_the_journey_and_an_erasure_removes_their_words()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAndAgreeAsync(c);
        using var worker = _scenario.Worker(c);
        await worker.PutAsRead($"/journeys/{journey.JourneyId}", $"/journeys/{journey.JourneyId}/assessment/what-matters", new { narrative = "Private words" }).Ok();
        var corrected = new PersonDetails("9912003888", "Alexandra", "Example", new DateOnly(1960, 4, 1), "LS6 1AA", null, null, ContactMethod.Letter, null, null);

        await fixture.Bus.PublishAsync(new PersonDetailsRectified(c.PersonId, corrected, "intake-admin", fixture.Clock.UtcNow));
        await _scenario.WaitForJourneyAsync(journey.JourneyId, c.ProgrammeId, j => j.Person?.GivenName == "Alexandra");
        await fixture.Bus.PublishAsync(new PersonErased(c.PersonId, Guid.NewGuid(), fixture.Clock.UtcNow));
        var erased = await _scenario.WaitForJourneyAsync(journey.JourneyId, c.ProgrammeId, j => j.Person is null);

        Assert.Null(erased.Assessment.WhatMatters);
        Assert.Equal(JourneyStatus.Active, erased.Status);
        var timeline = await worker.Get<SupportPlan.Timeline.TimelineView>($"/journeys/{journey.JourneyId}/timeline");
        Assert.All(timeline.Entries, e => Assert.Null(e.Detail));
        Assert.Contains(timeline.Entries, e => e.Kind == "WhatMatters");
    }
}
