using Referrals.ServiceDefaults.Auth;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.Planning;

public static class PlanEndpoints
{
    public static RouteGroupBuilder MapPlan(this RouteGroupBuilder journeys)
    {
        journeys.MapPost("/{journeyId:guid}/plan/goals", (Guid journeyId, SetGoal command, HttpContext http, JourneyCommands commands) =>
                Created(http, commands, journeyId, "SetGoal", id => (j, now) => PlanDecider.SetGoal(j, command, id, http.User.UserId(), now)))
            .WithName("SetGoal").WithSummary("A goal in the person's own words, with target date and review point.");
        journeys.MapPost("/{journeyId:guid}/plan/goals/{goalId:guid}/milestones",
                (Guid journeyId, Guid goalId, AddMilestone command, HttpContext http, JourneyCommands commands) =>
                    Created(http, commands, journeyId, "AddMilestone", id => (j, now) => PlanDecider.AddMilestone(j, goalId, command, id, http.User.UserId(), now)))
            .WithName("AddMilestone").WithSummary("A milestone on the way to a goal.");
        journeys.MapPost("/{journeyId:guid}/plan/goals/{goalId:guid}/milestones/{milestoneId:guid}/reached",
                (Guid journeyId, Guid goalId, Guid milestoneId, ReachMilestone? command, HttpContext http, JourneyCommands commands) =>
                    commands.ExecuteAsync(http, journeyId, "ReachMilestone",
                        (j, now) => PlanDecider.ReachMilestone(j, goalId, milestoneId, command ?? new ReachMilestone(null), http.User.UserId(), now)))
            .WithName("ReachMilestone").WithSummary("A milestone was reached.");
        journeys.MapPost("/{journeyId:guid}/plan/goals/{goalId:guid}/steps",
                (Guid journeyId, Guid goalId, AddStep command, HttpContext http, JourneyCommands commands) =>
                    Created(http, commands, journeyId, "AddStep", id => (j, now) => PlanDecider.AddStep(j, goalId, command, id, http.User.UserId(), now)))
            .WithName("AddStep").WithSummary("A small step towards a goal, and who takes it.");
        journeys.MapPost("/{journeyId:guid}/plan/goals/{goalId:guid}/steps/{stepId:guid}/completion",
                (Guid journeyId, Guid goalId, Guid stepId, CompleteStep? command, HttpContext http, JourneyCommands commands) =>
                    commands.ExecuteAsync(http, journeyId, "CompleteStep",
                        (j, now) => PlanDecider.CompleteStep(j, goalId, stepId, command ?? new CompleteStep(null), http.User.UserId(), now)))
            .WithName("CompleteStep").WithSummary("A step was done.");
        journeys.MapPost("/{journeyId:guid}/plan/goals/{goalId:guid}/progress",
                (Guid journeyId, Guid goalId, RecordGoalProgress command, HttpContext http, JourneyCommands commands) =>
                    Created(http, commands, journeyId, "RecordGoalProgress", id => (j, now) => PlanDecider.RecordProgress(j, goalId, command, id, http.User.UserId(), now)))
            .WithName("RecordGoalProgress").WithSummary("Progress on a goal and its status after it.");
        journeys.MapPost("/{journeyId:guid}/plan/agreement", (Guid journeyId, AgreePlan command, HttpContext http, JourneyCommands commands) =>
                commands.ExecuteAsync(http, journeyId, "AgreePlan", (j, now) => PlanDecider.Agree(j, command, http.User.UserId(), now)))
            .WithName("AgreePlan").WithSummary("The person agreed the plan: the date and their agreement are recorded.");
        journeys.MapPost("/{journeyId:guid}/reviews", (Guid journeyId, HoldReview command, HttpContext http, JourneyCommands commands) =>
                Created(http, commands, journeyId, "HoldReview", id => (j, now) => PlanDecider.HoldReview(j, command, id, http.User.UserId(), now)))
            .WithName("HoldReview").WithSummary("A review meeting with the person, and the next review date.");
        return journeys;
    }

    /// <summary>Runs a command that creates a part of the plan under a fresh id, answering 201 with that id.</summary>
    private static Task<JourneyResult> Created(HttpContext http, JourneyCommands commands, Guid journeyId, string operation,
        Func<Guid, Func<Journey, DateTimeOffset, IReadOnlyList<object>>> decide)
    {
        var id = Guid.CreateVersion7();
        return commands.ExecuteAsync(http, journeyId, operation, decide(id), _ => id);
    }
}
