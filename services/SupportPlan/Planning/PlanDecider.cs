using Referrals.ServiceDefaults.Problems;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.Planning;

public sealed record SetGoal(string Description, DateOnly? TargetDate, DateOnly? ReviewDate);

public sealed record AddMilestone(string Description, DateOnly? TargetDate);

public sealed record ReachMilestone(DateOnly? ReachedOn);

public sealed record AddStep(string Description, StepOwner Owner, DateOnly? DueDate);

public sealed record CompleteStep(DateOnly? CompletedOn);

public sealed record RecordGoalProgress(GoalStatus Status, string? Note);

/// <summary>The person agreed the plan (their agreement is required), on <see cref="AgreedOn"/> (default today).</summary>
public sealed record AgreePlan(bool PersonAgreed, DateOnly? AgreedOn, DateOnly? NextReviewDate);

public sealed record HoldReview(DateOnly? HeldOn, string? Summary, DateOnly? NextReviewDate);

/// <summary>
/// The personalised support plan, made with the person: goals in their own words, each with milestones, steps (with who
/// takes them), target dates and review points; progress updates; the plan agreed with the person; review meetings.
/// </summary>
public static class PlanDecider
{
    public static IReadOnlyList<object> SetGoal(Journey journey, SetGoal command, Guid goalId, string by, DateTimeOffset now)
    {
        new Validation().Required(command.Description, "description", Validation.Text).ThrowIfAny();
        JourneyRules.RequireAgreed(journey, "set a goal");
        return [new GoalSet(journey.Id, journey.PersonId, goalId, command.Description, command.TargetDate, command.ReviewDate, by, now)];
    }

    public static IReadOnlyList<object> AddMilestone(Journey journey, Guid goalId, AddMilestone command, Guid milestoneId, string by, DateTimeOffset now)
    {
        new Validation().Required(command.Description, "description", Validation.Text).ThrowIfAny();
        JourneyRules.RequireAgreed(journey, "add a milestone");
        GoalOf(journey, goalId);
        return [new MilestoneAdded(journey.Id, journey.PersonId, goalId, milestoneId, command.Description, command.TargetDate, by, now)];
    }

    public static IReadOnlyList<object> ReachMilestone(Journey journey, Guid goalId, Guid milestoneId, ReachMilestone command, string by, DateTimeOffset now)
    {
        JourneyRules.RequireAgreed(journey, "record a milestone reached");
        var milestone = GoalOf(journey, goalId).Milestones.Find(m => m.MilestoneId == milestoneId) ?? throw new JourneyPartNotFoundException("milestone");
        if (milestone.ReachedOn is not null)
        {
            throw new DomainRuleException("This milestone is already reached.");
        }

        var reachedOn = JourneyRules.DayInEpisode(journey, command.ReachedOn, now, "reachedOn");
        return [new MilestoneReached(journey.Id, goalId, milestoneId, reachedOn, by, now)];
    }

    public static IReadOnlyList<object> AddStep(Journey journey, Guid goalId, AddStep command, Guid stepId, string by, DateTimeOffset now)
    {
        new Validation().Required(command.Description, "description", Validation.Text).Defined(command.Owner, "owner").ThrowIfAny();
        JourneyRules.RequireAgreed(journey, "add a step");
        GoalOf(journey, goalId);
        return [new StepAdded(journey.Id, journey.PersonId, goalId, stepId, command.Description, command.Owner, command.DueDate, by, now)];
    }

    public static IReadOnlyList<object> CompleteStep(Journey journey, Guid goalId, Guid stepId, CompleteStep command, string by, DateTimeOffset now)
    {
        JourneyRules.RequireAgreed(journey, "complete a step");
        var step = GoalOf(journey, goalId).Steps.Find(s => s.StepId == stepId) ?? throw new JourneyPartNotFoundException("step");
        if (step.CompletedOn is not null)
        {
            throw new DomainRuleException("This step is already completed.");
        }

        var completedOn = JourneyRules.DayInEpisode(journey, command.CompletedOn, now, "completedOn");
        return [new StepCompleted(journey.Id, goalId, stepId, completedOn, by, now)];
    }

    public static IReadOnlyList<object> RecordProgress(Journey journey, Guid goalId, RecordGoalProgress command, Guid updateId, string by, DateTimeOffset now)
    {
        new Validation().Defined(command.Status, "status").Optional(command.Note, "note", Validation.Narrative).ThrowIfAny();
        JourneyRules.RequireAgreed(journey, "record progress");
        GoalOf(journey, goalId);
        return [new GoalProgressRecorded(journey.Id, journey.PersonId, goalId, updateId, command.Status, command.Note, by, now)];
    }

    public static IReadOnlyList<object> Agree(Journey journey, AgreePlan command, string by, DateTimeOffset now)
    {
        var agreedOn = command.AgreedOn ?? JourneyRules.Today(now);
        new Validation()
            .Check(command.PersonAgreed, "personAgreed", "The plan is agreed with the person: record their agreement.")
            .Check(agreedOn <= JourneyRules.Today(now), "agreedOn", "The agreement date cannot be in the future.")
            .Check(!BeforeEpisode(journey, agreedOn), "agreedOn", "This date is before the journey was opened for this episode of support.")
            .Check(command.NextReviewDate is null || command.NextReviewDate >= agreedOn, "nextReviewDate", "The review comes after the agreement.")
            .ThrowIfAny();
        JourneyRules.RequireAgreed(journey, "agree the plan");
        if (journey.Goals.IsEmpty)
        {
            throw new DomainRuleException("A plan needs at least one goal before the person agrees it.");
        }

        return [new SupportPlanAgreed(journey.Id, agreedOn, command.NextReviewDate, by, now)];
    }

    public static IReadOnlyList<object> HoldReview(Journey journey, HoldReview command, Guid reviewId, string by, DateTimeOffset now)
    {
        var heldOn = command.HeldOn ?? JourneyRules.Today(now);
        new Validation()
            .Check(heldOn <= JourneyRules.Today(now), "heldOn", "The review date cannot be in the future.")
            .Check(!BeforeEpisode(journey, heldOn), "heldOn", "This date is before the journey was opened for this episode of support.")
            .Check(command.NextReviewDate is null || command.NextReviewDate > heldOn, "nextReviewDate", "The next review comes after this one.")
            .Optional(command.Summary, "summary", Validation.Narrative)
            .ThrowIfAny();
        JourneyRules.RequireAgreed(journey, "hold a review");
        return [new ReviewHeld(journey.Id, journey.PersonId, reviewId, heldOn, command.Summary, command.NextReviewDate, by, now)];
    }

    private static bool BeforeEpisode(Journey journey, DateOnly day) => journey.OpenedAt is { } opened && day < JourneyRules.Today(opened);

    private static Goal GoalOf(Journey journey, Guid goalId) => journey.Goals.Find(g => g.GoalId == goalId) ?? throw new JourneyPartNotFoundException("goal");
}
