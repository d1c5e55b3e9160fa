using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.LoneWorking;

/// <summary>The worker arrived at the person's home and checked in; they expect to leave by <see cref="ExpectedEnd"/>.</summary>
public sealed record HomeVisitCheckedIn(
    Guid JourneyId,
    Guid VisitId,
    string LinkWorkerId,
    DateTimeOffset ExpectedEnd,
    DateTimeOffset CheckedInAt) : IJourneyEvent;

/// <summary>The worker left safely and checked out.</summary>
public sealed record HomeVisitCheckedOut(Guid JourneyId, Guid VisitId, DateTimeOffset CheckedOutAt) : IJourneyEvent;

/// <summary>The visit was not checked out by its expected end: the team lead is alerted. Raised at most once per visit.</summary>
public sealed record LoneWorkingCheckOutOverdue(
    Guid JourneyId,
    Guid VisitId,
    string LinkWorkerId,
    DateTimeOffset ExpectedEnd,
    DateTimeOffset RaisedAt) : IJourneyEvent;

/// <summary>A team lead took charge of an overdue-visit alert.</summary>
public sealed record LoneWorkingAlertAcknowledged(Guid JourneyId, Guid VisitId, string AcknowledgedBy, DateTimeOffset AcknowledgedAt) : IJourneyEvent;
