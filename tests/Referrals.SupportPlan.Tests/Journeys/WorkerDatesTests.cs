using System.Net;
using System.Text.Json;
using Referrals.SupportPlan.Journeys;
using Referrals.SupportPlan.MeasuringOutcomes;
using Referrals.SupportPlan.Tests.Support;

namespace Referrals.SupportPlan.Tests.Journeys;

/// <summary>
/// The dates a worker gives are bounded: never in the future (plan dates: after today in the UK), never before the journey
/// opened for the current episode, and a follow-up or closing measure never before its baseline.
/// </summary>
public sealed class WorkerDatesTests(SupportPlanHost fixture) : IClassFixture<SupportPlanHost>
{
    private readonly Scenario _scenario = new(fixture);

    private static string Day(DateTimeOffset at) => JourneyRules.Today(at).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static string? Error(JsonElement problem, string field) =>
        problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out var messages) ? messages[0].GetString() : null;

    [Fact]
    public async Task An_agreement_or_decline_dated_before_the_journey_opened_is_refused_naming_the_date()
    {
        var agreeing = ReferralCase.New();
        var declining = ReferralCase.New();
        var journey = await _scenario.OpenAsync(agreeing);
        var other = await _scenario.OpenAsync(declining);
        var opened = journey.OpenedAt!.Value;
        using var worker = _scenario.Worker(agreeing);
        using var otherWorker = _scenario.Worker(declining);

        var tenYearsBack = await worker.Post($"/journeys/{journey.JourneyId}/agreement", new { agreedAt = opened.AddYears(-10) }).Problem(HttpStatusCode.BadRequest);
        var dayBefore = await worker.Post($"/journeys/{journey.JourneyId}/agreement", new { agreedAt = opened.AddDays(-1) }).Problem(HttpStatusCode.BadRequest);
        var declined = await otherWorker.Post($"/journeys/{other.JourneyId}/decline", new { reason = "Has support", declinedAt = opened.AddYears(-10) })
            .Problem(HttpStatusCode.BadRequest);

        Assert.Equal(["agreedAt"], tenYearsBack.ErrorFields());
        Assert.Equal(["agreedAt"], dayBefore.ErrorFields());
        Assert.Equal(["declinedAt"], declined.ErrorFields());
        Assert.Equal(JourneyStatus.Open, (await otherWorker.Get<JourneyView>($"/journeys/{other.JourneyId}")).Status);
        Assert.Equal(journey.Version, (await worker.Get<JourneyView>($"/journeys/{journey.JourneyId}")).Version);

        // Recorded late, but dated within the episode: accepted as dated.
        fixture.Clock.Advance(TimeSpan.FromDays(1));
        await worker.Post($"/journeys/{journey.JourneyId}/agreement", new { agreedAt = opened.AddHours(2) }).Ok();
        Assert.Equal(opened.AddHours(2), (await worker.Get<JourneyView>($"/journeys/{journey.JourneyId}")).Decision.AgreedAt);
    }

    [Fact]
    public async Task Plan_dates_after_today_or_before_the_journey_opened_are_refused_naming_the_date()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAndAgreeAsync(c);
        var id = journey.JourneyId;
        using var worker = _scenario.Worker(c);
        var goal = await worker.Post($"/journeys/{id}/plan/goals", new { description = "Walk with the group" }).Ok();
        var milestone = await worker.Post($"/journeys/{id}/plan/goals/{goal.Id}/milestones", new { description = "First walk" }).Ok();
        var step = await worker.Post($"/journeys/{id}/plan/goals/{goal.Id}/steps", new { description = "Buy boots", owner = "Person" }).Ok();
        var reached = $"/journeys/{id}/plan/goals/{goal.Id}/milestones/{milestone.Id}/reached";
        var completed = $"/journeys/{id}/plan/goals/{goal.Id}/steps/{step.Id}/completion";
        var now = fixture.Clock.UtcNow;
        var dayBeforeOpening = Day(journey.OpenedAt!.Value.AddDays(-1));
        var tomorrow = Day(now.AddDays(1));

        var problems = new[]
        {
            (await worker.Post(reached, new { reachedOn = "2031-01-01" }).Problem(HttpStatusCode.BadRequest), "reachedOn"),
            (await worker.Post(reached, new { reachedOn = tomorrow }).Problem(HttpStatusCode.BadRequest), "reachedOn"),
            (await worker.Post(reached, new { reachedOn = dayBeforeOpening }).Problem(HttpStatusCode.BadRequest), "reachedOn"),
            (await worker.Post(completed, new { completedOn = "2031-01-01" }).Problem(HttpStatusCode.BadRequest), "completedOn"),
            (await worker.Post(completed, new { completedOn = dayBeforeOpening }).Problem(HttpStatusCode.BadRequest), "completedOn"),
            (await worker.Post($"/journeys/{id}/plan/agreement", new { personAgreed = true, agreedOn = dayBeforeOpening }).Problem(HttpStatusCode.BadRequest), "agreedOn"),
            (await worker.Post($"/journeys/{id}/reviews", new { heldOn = dayBeforeOpening }).Problem(HttpStatusCode.BadRequest), "heldOn"),
        };

        foreach (var (problem, field) in problems)
        {
            Assert.Equal([field], problem.ErrorFields());
        }

        var before = await worker.Get<JourneyView>($"/journeys/{id}");
        Assert.Equal(step.Version, before.Version);

        await worker.Post(reached, new { reachedOn = Day(now) }).Ok();
        await worker.Post(completed, new { completedOn = Day(journey.OpenedAt!.Value) }).Ok();
        var after = await worker.Get<JourneyView>($"/journeys/{id}");
        var done = Assert.Single(after.Plan.Goals);
        Assert.Equal(JourneyRules.Today(now), Assert.Single(done.Milestones).ReachedOn);
        Assert.Equal(JourneyRules.Today(journey.OpenedAt!.Value), Assert.Single(done.Steps).CompletedOn);
    }

    [Fact]
    public async Task A_measure_dated_before_the_journey_opened_or_a_follow_up_dated_before_its_baseline_is_refused()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAndAgreeAsync(c);
        using var worker = _scenario.Worker(c);
        var url = $"/journeys/{journey.JourneyId}/outcome-measures";
        var opened = journey.OpenedAt!.Value;
        fixture.Clock.Advance(TimeSpan.FromDays(10));
        var baselineAt = opened.AddDays(5);

        var beforeOpening = await worker.Post(url, new { instrument = "Wemwbs", point = "Baseline", items = Enumerable.Repeat(2, 14), measuredAt = opened.AddYears(-3) })
            .Problem(HttpStatusCode.BadRequest);
        await worker.Post(url, new { instrument = "Wemwbs", point = "Baseline", items = Enumerable.Repeat(2, 14), measuredAt = baselineAt })
            .Expect<OutcomeMeasureRecorded>(HttpStatusCode.Created);
        var followUpBefore = await worker.Post(url, new { instrument = "Wemwbs", point = "FollowUp", items = Enumerable.Repeat(4, 14), measuredAt = baselineAt.AddDays(-1) })
            .Problem(HttpStatusCode.BadRequest);
        var closingBefore = await worker.Post(url, new { instrument = "Wemwbs", point = "Closing", items = Enumerable.Repeat(4, 14), measuredAt = baselineAt.AddHours(-1) })
            .Problem(HttpStatusCode.BadRequest);

        Assert.Equal("This time is before the journey was opened for this episode of support.", Error(beforeOpening, "measuredAt"));
        Assert.Equal("A follow-up or closing measure cannot be dated before this episode's baseline.", Error(followUpBefore, "measuredAt"));
        Assert.Equal(["measuredAt"], closingBefore.ErrorFields());
        var measured = await worker.Get<JourneyView>($"/journeys/{journey.JourneyId}");
        Assert.Equal(28m, Assert.Single(measured.Measurements).Score);

        var followUp = await worker.Post(url, new { instrument = "Wemwbs", point = "FollowUp", items = Enumerable.Repeat(4, 14), measuredAt = baselineAt.AddDays(1) })
            .Expect<OutcomeMeasureRecorded>(HttpStatusCode.Created);
        Assert.Equal(28m, followUp.Measurement.ChangeSinceBaseline);
    }
}
