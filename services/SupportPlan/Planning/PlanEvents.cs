using Referrals.Contracts;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.Planning;

public enum GoalStatus
{
    NotStarted,
    InProgress,
    Achieved,
    NoLongerRelevant,
}

/// <summary>Who takes a step: the worker does not do everything.</summary>
public enum StepOwner
{
    Person,
    LinkWorker,
    Buddy,
    Partner,
}

/// <summary>A goal in the person's own words, with its target date and review point.</summary>
public sealed record GoalSet(
    Guid JourneyId,
    Guid PersonId,
    Guid GoalId,
    [property: PersonalData] string? Description,
    DateOnly? TargetDate,
    DateOnly? ReviewDate,
    string RecordedBy,
    DateTimeOffset SetAt) : IJourneyEvent;

public sealed record MilestoneAdded(
    Guid JourneyId,
    Guid PersonId,
    Guid GoalId,
    Guid MilestoneId,
    [property: PersonalData] string? Description,
    DateOnly? TargetDate,
    string RecordedBy,
    DateTimeOffset AddedAt) : IJourneyEvent;

public sealed record MilestoneReached(Guid JourneyId, Guid GoalId, Guid MilestoneId, DateOnly ReachedOn, string RecordedBy, DateTimeOffset RecordedAt)
    : IJourneyEvent;

public sealed record StepAdded(
    Guid JourneyId,
    Guid PersonId,
    Guid GoalId,
    Guid StepId,
    [property: PersonalData] string? Description,
    StepOwner Owner,
    DateOnly? DueDate,
    string RecordedBy,
    DateTimeOffset AddedAt) : IJourneyEvent;

public sealed record StepCompleted(Guid JourneyId, Guid GoalId, Guid StepId, DateOnly CompletedOn, string RecordedBy, DateTimeOffset RecordedAt)
    : IJourneyEvent;

/// <summary>Progress on a goal, with the goal's status after it.</summary>
public sealed record GoalProgressRecorded(
    Guid JourneyId,
    Guid PersonId,
    Guid GoalId,
    Guid UpdateId,
    GoalStatus Status,
    [property: PersonalData] string? Note,
    string RecordedBy,
    DateTimeOffset RecordedAt) : IJourneyEvent;

/// <summary>The person agreed the plan, on the date given; it is reviewed at <see cref="NextReviewDate"/>.</summary>
public sealed record SupportPlanAgreed(
    Guid JourneyId,
    DateOnly AgreedOn,
    DateOnly? NextReviewDate,
    string RecordedBy,
    DateTimeOffset RecordedAt) : IJourneyEvent;

/// <summary>A review meeting with the person.</summary>
public sealed record ReviewHeld(
    Guid JourneyId,
    Guid PersonId,
    Guid ReviewId,
    DateOnly HeldOn,
    [property: PersonalData] string? Summary,
    DateOnly? NextReviewDate,
    string RecordedBy,
    DateTimeOffset RecordedAt) : IJourneyEvent;
