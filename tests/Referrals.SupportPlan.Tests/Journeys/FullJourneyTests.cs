using System.Net;
using Referrals.Contracts;
using Referrals.ServiceDefaults.Auth;
using Referrals.SupportPlan.Assessing;
using Referrals.SupportPlan.Connecting;
using Referrals.SupportPlan.Directory;
using Referrals.SupportPlan.Journeys;
using Referrals.SupportPlan.MeasuringOutcomes;
using Referrals.SupportPlan.Planning;
using Referrals.SupportPlan.Tests.Support;
using Referrals.SupportPlan.Timeline;

namespace Referrals.SupportPlan.Tests.Journeys;

/// <summary>The acceptance journey: open, agree, assess, plan, connect, measure twice, review, close; then the timeline; then a re-referral.</summary>
public sealed class FullJourneyTests(SupportPlanHost fixture) : IClassFixture<SupportPlanHost>
{
    private readonly Scenario _scenario = new(fixture);

    [Fact]
    public async Task A_journey_runs_from_opening_to_closure_and_the_timeline_tells_it_in_order()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAsync(c);
        var id = journey.JourneyId;
        Assert.Equal(c.JourneyId, id);
        Assert.Equal(JourneyStatus.Open, journey.Status);
        Assert.True(journey.Decision.AgreementDue);
        Assert.Equal(c.WorkerId, journey.LinkWorkerId);
        using var worker = _scenario.Worker(c);

        // First contact: the person agrees.
        await worker.Post($"/journeys/{id}/contacts", new { kind = "Phone", outcome = "Attended", durationMinutes = 25 }).Ok();
        await worker.Post($"/journeys/{id}/agreement", new { }).Ok();

        // Holistic assessment.
        await worker.PutAsRead($"/journeys/{id}", $"/journeys/{id}/assessment/what-matters", new { narrative = "Getting back to the allotment and seeing people" }).Ok();
        await worker.PutAsRead($"/journeys/{id}", $"/journeys/{id}/assessment/strengths", new { strengths = new[] { "Good with plants", "Supportive neighbour" } }).Ok();
        await worker.PutAsRead($"/journeys/{id}", $"/journeys/{id}/assessment/barriers", new { barriers = new[] { "Transport", "Confidence" }, note = "No bus on Sundays" }).Ok();
        var loneliness = await worker.Post($"/journeys/{id}/assessment/needs", new { domain = "SocialConnection", priority = "Medium", description = "Lonely since moving" }).Ok();
        var money = await worker.Post($"/journeys/{id}/assessment/needs", new { domain = "MoneyDebtAndBenefits", priority = "Low" }).Ok();
        await worker.Post($"/journeys/{id}/assessment/needs/{loneliness.Id}/priority", new { priority = "High" }).Ok();
        await worker.Post($"/journeys/{id}/assessment/needs/{money.Id}/resolution", new { note = "Attendance Allowance awarded" }).Ok();

        // The plan, made with the person.
        var goal = await worker.Post($"/journeys/{id}/plan/goals", new { description = "Go to the walking group every Tuesday", targetDate = "2026-03-31", reviewDate = "2026-02-15" }).Ok();
        var milestone = await worker.Post($"/journeys/{id}/plan/goals/{goal.Id}/milestones", new { description = "First walk", targetDate = "2026-01-20" }).Ok();
        var step = await worker.Post($"/journeys/{id}/plan/goals/{goal.Id}/steps", new { description = "Phone the group leader", owner = "Person" }).Ok();
        await worker.Post($"/journeys/{id}/plan/agreement", new { personAgreed = true, nextReviewDate = "2026-02-15" }).Ok();

        // Community connections from the programme's directory.
        using var admin = fixture.Host.ClientFor(Roles.ProgrammeAdmin, (ReferralsClaims.Programme, c.ProgrammeId));
        var walking = await admin.Post("/directory", new
        {
            programmeId = c.ProgrammeId,
            details = new
            {
                name = "Headingley Walking Group", sector = "Voluntary", categories = new[] { "SocialConnection", "PhysicalActivity" },
                areas = new[] { "LS6" }, contact = "walks@example.org", referralMethod = "Email", openingTimes = "Tuesdays 10:00",
            },
        }).Expect<DirectoryEntry>(HttpStatusCode.Created);
        var suggestions = await worker.Get<List<Suggestion>>($"/journeys/{id}/suggestions");
        Assert.Equal(walking.Id, suggestions[0].EntryId);
        var referral = await worker.Post($"/journeys/{id}/connections",
            new { directoryEntryId = walking.Id, kind = "OnwardReferral", consentToShare = true, sharedInformation = "Name and phone number" }).Ok();
        await worker.Post($"/journeys/{id}/connections/{referral.Id}/acknowledgement", new { accepted = true }).Ok();
        await worker.Post($"/journeys/{id}/connections", new { serviceName = "Citizens Advice", kind = "Signposting" }).Ok();
        await worker.Post($"/journeys/{id}/plan/goals/{goal.Id}/milestones/{milestone.Id}/reached", new { }).Ok();
        await worker.Post($"/journeys/{id}/plan/goals/{goal.Id}/steps/{step.Id}/completion", new { }).Ok();
        await worker.Post($"/journeys/{id}/connections/{referral.Id}/outcome", new { outcome = "Attended" }).Ok();

        // Two outcome measurements: WEMWBS baseline 42, follow-up 52 (change 10: meaningful).
        var baseline = await worker.Post($"/journeys/{id}/outcome-measures", new { instrument = "Wemwbs", point = "Baseline", items = Enumerable.Repeat(3, 14) })
            .Expect<OutcomeMeasureRecorded>(HttpStatusCode.Created);
        var followUp = await worker.Post($"/journeys/{id}/outcome-measures",
                new { instrument = "Wemwbs", point = "FollowUp", items = new[] { 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 3, 3, 3, 3 } })
            .Expect<OutcomeMeasureRecorded>(HttpStatusCode.Created);
        Assert.Equal(42m, baseline.Measurement.Score);
        Assert.Equal(52m, followUp.Measurement.Score);
        Assert.Equal(10m, followUp.Measurement.ChangeSinceBaseline);
        Assert.True(followUp.Measurement.MeaningfulChange);
        Assert.Equal(ChangeDirection.Improved, followUp.Direction);

        // Review, progress, then closure: the prompt asks for the closing WEMWBS first.
        await worker.Post($"/journeys/{id}/plan/goals/{goal.Id}/progress", new { status = "Achieved", note = "Walks every week now" }).Ok();
        await worker.Post($"/journeys/{id}/reviews", new { summary = "Going well", nextReviewDate = "2026-03-01" }).Ok();
        var prompt = await worker.Post($"/journeys/{id}/closure", new { reason = "GoalsMet" }).Problem(HttpStatusCode.Conflict);
        Assert.Contains("Wemwbs", prompt.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await worker.Post($"/journeys/{id}/outcome-measures", new { instrument = "Wemwbs", point = "Closing", items = Enumerable.Repeat(4, 14) })
            .Expect<OutcomeMeasureRecorded>(HttpStatusCode.Created);
        await worker.Post($"/journeys/{id}/closure", new { reason = "GoalsMet", note = "Connected and confident" }).Ok();

        var closed = await worker.Get<JourneyView>($"/journeys/{id}");
        Assert.Equal(JourneyStatus.Closed, closed.Status);
        Assert.Equal(ClosureReason.GoalsMet, closed.Closure!.Reason);
        Assert.Equal("Go to the walking group every Tuesday", closed.Plan.Goals.Single().Description);
        Assert.Equal(GoalStatus.Achieved, closed.Plan.Goals.Single().Status);
        Assert.Equal(NeedPriority.High, closed.Assessment.Needs.Single(n => n.NeedId == loneliness.Id).Priority);
        Assert.NotNull(closed.Assessment.Needs.Single(n => n.NeedId == money.Id).ResolvedAt);
        Assert.Equal(["Good with plants", "Supportive neighbour"], closed.Assessment.Strengths);
        Assert.Equal([Barrier.Transport, Barrier.Confidence], closed.Assessment.Barriers);
        Assert.Equal("No bus on Sundays", closed.Assessment.BarriersNote);
        var planned = closed.Plan.Goals.Single();
        Assert.Equal((new DateOnly(2026, 3, 31), new DateOnly(2026, 2, 15)), (planned.TargetDate, planned.ReviewDate));
        Assert.Equal(("First walk", new DateOnly(2026, 1, 20)), (planned.Milestones.Single().Description, planned.Milestones.Single().TargetDate));
        Assert.NotNull(planned.Milestones.Single().ReachedOn);
        Assert.Equal(StepOwner.Person, planned.Steps.Single().Owner);
        Assert.NotNull(planned.Steps.Single().CompletedOn);
        Assert.NotNull(closed.Plan.Agreement);
        var review = closed.Plan.Reviews.Single();
        Assert.Equal(("Going well", new DateOnly(2026, 3, 1)), (review.Summary, review.NextReviewDate));
        Assert.Equal(new DateOnly(2026, 3, 1), closed.Plan.NextReviewDate);
        // Adding, reprioritising and resolving needs are separate events, not edits of one record.
        await using (var query = fixture.Store.QuerySession())
        {
            var history = (await query.Events.FetchStreamAsync(id)).Select(e => e.Data).ToList();
            Assert.Equal(2, history.OfType<NeedIdentified>().Count());
            Assert.Single(history.OfType<NeedReprioritised>());
            Assert.Single(history.OfType<NeedResolved>());
        }

        // The GP gets the closing summary.
        var closedEvent = await fixture.Probe.WaitForAsync<Integration.JourneyClosed>(e => e.JourneyId == id);
        Assert.Equal(ClosureReason.GoalsMet, closedEvent.Reason);
        Assert.Equal("Getting back to the allotment and seeing people", closedEvent.Summary!.WhatMatters);
        Assert.Equal(2, closedEvent.Summary.Connections.Count);
        var wemwbs = Assert.Single(closedEvent.Summary.OutcomeChanges);
        Assert.Equal((42m, 56m, 14m, true), (wemwbs.Baseline, wemwbs.Latest, wemwbs.Change, wemwbs.MeaningfulChange));
        var agreed = await fixture.Probe.WaitForAsync<Integration.PersonAgreedToSocialPrescribing>(e => e.JourneyId == id);
        Assert.Equal(1, agreed.Episode);

        // The timeline: the whole journey in order.
        var timeline = await worker.Get<TimelineView>($"/journeys/{id}/timeline");
        var kinds = timeline.Entries.Select(e => e.Kind).ToList();
        string[] expectedOrder =
        [
            "ReferralSubmitted", "ReferralTriaged", "JourneyRegistered", "AssignmentAccepted", "JourneyOpened", "Contact", "PersonAgreed", "WhatMatters",
            "NeedIdentified", "GoalSet", "PlanAgreed", "OnwardReferral", "OnwardReferralAcknowledged", "OutcomeMeasured", "ReviewHeld", "JourneyClosed",
        ];
        Assert.Equal(expectedOrder, kinds.Where(expectedOrder.Contains).Distinct().ToArray());
        Assert.Equal(timeline.Entries.OrderBy(e => e.At).Select(e => e.At), timeline.Entries.Select(e => e.At));
        var agreement = timeline.Entries.Single(e => e.Kind == "PersonAgreed");
        Assert.Equal(("871731000000106", GpSharing.CodedWithNarrative), (agreement.GpRecord!.Code, agreement.GpRecord.Sharing));
        Assert.Equal("718426000", timeline.Entries.First(e => e.Kind == "OutcomeMeasured").GpRecord!.Code);
        Assert.Equal("Getting back to the allotment and seeing people", timeline.Entries.Single(e => e.Kind == "WhatMatters").Detail);
        Assert.Contains(timeline.Entries, e => e.Kind == "ReferralTriaged" && e.Summary.Contains("tier LinkWorker", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_re_referral_within_the_window_reopens_the_journey_and_no_second_agreement_is_due()
    {
        var first = ReferralCase.New();
        var journey = await _scenario.OpenAndAgreeAsync(first);
        using (var worker = _scenario.Worker(first))
        {
            await worker.Post($"/journeys/{journey.JourneyId}/closure", new { reason = "GoalsMet" }).Ok();
        }

        // Re-referred 30 days after closure, to a different worker.
        var again = first.ReReferral() with { WorkerId = "lw-second" };
        await fixture.Bus.PublishAsync(Scenario.Submitted(again, journey.JourneyId, fixture.Clock.UtcNow.AddDays(30)));
        await fixture.Bus.PublishAsync(Scenario.Triaged(again));
        await fixture.Bus.PublishAsync(Scenario.Accepted(again));

        var registered = await fixture.Probe.WaitForAsync<Integration.JourneyRegistered>(r => r.ReferralId == again.ReferralId);
        var opened = await fixture.Probe.WaitForAsync<Integration.JourneyOpened>(o => o.ReferralId == again.ReferralId);
        Assert.Equal(journey.JourneyId, registered.JourneyId);
        Assert.True(registered.Reopened);
        Assert.Equal(journey.JourneyId, opened.JourneyId);
        Assert.True(opened.Reopened);
        Assert.Equal(2, opened.Episode);

        var reopened = await _scenario.WaitForJourneyAsync(journey.JourneyId, first.ProgrammeId, j => j.LinkWorkerId == "lw-second");
        using (var lead = _scenario.TeamLead(first.ProgrammeId))
        {
            Assert.Equal(new ReferralJourney(again.ReferralId, journey.JourneyId, true), await lead.Get<ReferralJourney>($"/referrals/{again.ReferralId}/journey"));
            await lead.Send(HttpMethod.Get, $"/referrals/{Guid.NewGuid()}/journey").Problem(HttpStatusCode.NotFound);
        }

        Assert.Equal(JourneyStatus.Active, reopened.Status);
        Assert.False(reopened.Decision.AgreementDue);
        Assert.Equal([first.ReferralId, again.ReferralId], reopened.Referral.AllReferralIds);

        using var second = _scenario.Worker(again);
        var refusal = await second.Post($"/journeys/{journey.JourneyId}/agreement", new { }).Problem(HttpStatusCode.Conflict);
        Assert.Contains("871731000000106", refusal.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await second.Post($"/journeys/{journey.JourneyId}/contacts", new { kind = "Phone", outcome = "Attended", durationMinutes = 10 }).Ok();
        await fixture.Probe.WaitForAsync<Integration.ContactRecorded>(e => e.JourneyId == journey.JourneyId && e.DurationMinutes == 10);
        Assert.Single(fixture.Probe.All<Integration.PersonAgreedToSocialPrescribing>(), e => e.JourneyId == journey.JourneyId);
    }

    [Fact]
    public async Task A_re_referral_after_the_window_starts_a_new_journey()
    {
        var first = ReferralCase.New();
        var journey = await _scenario.OpenAndAgreeAsync(first);
        using (var worker = _scenario.Worker(first))
        {
            await worker.Post($"/journeys/{journey.JourneyId}/closure", new { reason = "MovedAway" }).Ok();
        }

        var again = first.ReReferral();
        await fixture.Bus.PublishAsync(Scenario.Submitted(again, journey.JourneyId, fixture.Clock.UtcNow.AddDays(91)));
        await fixture.Bus.PublishAsync(Scenario.Triaged(again));

        var registered = await fixture.Probe.WaitForAsync<Integration.JourneyRegistered>(r => r.ReferralId == again.ReferralId);
        Assert.Equal(again.JourneyId, registered.JourneyId);
        Assert.False(registered.Reopened);
    }
}
