using Referrals.ServiceDefaults.Problems;
using Referrals.SupportPlan.Journeys;
using Referrals.SupportPlan.Planning;
using Referrals.SupportPlan.Tests.Support;

namespace Referrals.SupportPlan.Tests.Planning;

/// <summary>Plan dates are UK calendar days (Europe/London), not UTC ones.</summary>
public sealed class PlanDeciderTests
{
    // 00:30 BST on 1 June 2026 is still 31 May in UTC.
    private static readonly DateTimeOffset HalfPastMidnightBst = new(2026, 5, 31, 23, 30, 0, TimeSpan.Zero);

    private static Journey WithGoal()
    {
        var journey = TestJourneys.Active();
        return TestJourneys.Apply(journey, [.. PlanDecider.SetGoal(journey, new SetGoal("Join the walking group", null, null), Guid.NewGuid(), "lw-1",
            HalfPastMidnightBst)]);
    }

    [Fact]
    public void A_plan_agreed_just_after_midnight_in_summer_time_may_be_dated_that_uk_day()
    {
        var agreed = Assert.IsType<SupportPlanAgreed>(Assert.Single(PlanDecider.Agree(WithGoal(), new AgreePlan(true, new DateOnly(2026, 6, 1), null), "lw-1",
            HalfPastMidnightBst)));

        Assert.Equal(new DateOnly(2026, 6, 1), agreed.AgreedOn);
    }

    [Fact]
    public void A_plan_agreed_without_a_date_just_after_midnight_in_summer_time_is_dated_that_uk_day()
    {
        var agreed = Assert.IsType<SupportPlanAgreed>(Assert.Single(PlanDecider.Agree(WithGoal(), new AgreePlan(true, null, null), "lw-1", HalfPastMidnightBst)));

        Assert.Equal(new DateOnly(2026, 6, 1), agreed.AgreedOn);
    }

    [Fact]
    public void A_milestone_or_step_done_just_after_midnight_in_summer_time_may_be_dated_that_uk_day_but_not_the_next()
    {
        var journey = WithGoal();
        var goal = journey.Goals[0].GoalId;
        var (milestoneId, stepId) = (Guid.NewGuid(), Guid.NewGuid());
        journey = TestJourneys.Apply(journey, [.. PlanDecider.AddMilestone(journey, goal, new AddMilestone("First walk", null), milestoneId, "lw-1", HalfPastMidnightBst)]);
        journey = TestJourneys.Apply(journey, [.. PlanDecider.AddStep(journey, goal, new AddStep("Buy boots", StepOwner.Person, null), stepId, "lw-1", HalfPastMidnightBst)]);
        var (today, tomorrow) = (new DateOnly(2026, 6, 1), new DateOnly(2026, 6, 2));

        var reached = Assert.IsType<MilestoneReached>(Assert.Single(PlanDecider.ReachMilestone(journey, goal, milestoneId, new ReachMilestone(today), "lw-1",
            HalfPastMidnightBst)));
        var completed = Assert.IsType<StepCompleted>(Assert.Single(PlanDecider.CompleteStep(journey, goal, stepId, new CompleteStep(today), "lw-1",
            HalfPastMidnightBst)));

        Assert.Equal((today, today), (reached.ReachedOn, completed.CompletedOn));
        Assert.Equal("reachedOn", Assert.Single(Assert.Throws<RequestValidationException>(() =>
            PlanDecider.ReachMilestone(journey, goal, milestoneId, new ReachMilestone(tomorrow), "lw-1", HalfPastMidnightBst)).Errors).Key);
        Assert.Equal("completedOn", Assert.Single(Assert.Throws<RequestValidationException>(() =>
            PlanDecider.CompleteStep(journey, goal, stepId, new CompleteStep(tomorrow), "lw-1", HalfPastMidnightBst)).Errors).Key);
    }

    [Fact]
    public void Today_is_the_uk_date_in_summer_and_in_winter()
    {
        Assert.Equal(new DateOnly(2026, 6, 1), JourneyRules.Today(HalfPastMidnightBst));
        Assert.Equal(new DateOnly(2026, 5, 31), JourneyRules.Today(new DateTimeOffset(2026, 5, 31, 22, 30, 0, TimeSpan.Zero)));
        Assert.Equal(new DateOnly(2026, 1, 5), JourneyRules.Today(new DateTimeOffset(2026, 1, 5, 23, 30, 0, TimeSpan.Zero)));
    }
}
