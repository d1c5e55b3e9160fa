using System.Text.Json.Serialization;
using Referrals.Contracts;
using Referrals.Triage.Assigning;
using Referrals.Triage.Journeys;
using Referrals.Triage.ServiceLevels;
using Referrals.Triage.Triaging;
using Referrals.Triage.Worklists;

namespace Referrals.Triage.Referrals;

public enum ReferralStatus
{
    /// <summary>Received, not yet decided (or between one assignment ending and the next).</summary>
    Received,

    /// <summary>Out of the programme's scope; the referrer was given signposting.</summary>
    Ineligible,

    /// <summary>Waiting in the programme queue for a worker with capacity.</summary>
    Queued,

    /// <summary>Escalated, and no worker of the required tier covers it: with the team lead to allocate.</summary>
    AwaitingTeamLead,

    /// <summary>Offered to a worker, who has not responded yet.</summary>
    Offered,

    /// <summary>The worker accepted it.</summary>
    Accepted,

    Withdrawn,

    Closed,
}

/// <summary>
/// A referral as triage sees it: the triage decision, the current assignment or queue place, escalation and service
/// levels. Immutable; folded by Create/Apply from its stream (id = the referral id) and kept as an inline snapshot so
/// worklists and queues can be queried.
/// </summary>
public sealed record Referral(
    Guid Id,
    Guid JourneyId,
    Guid PersonId,
    Guid? PreviousJourneyId,
    string? PreviousWorkerId,
    string ProgrammeId,
    string RegisteredPracticeOds,
    ReferrerKind ReferrerKind,
    string ReferrerOrganisationId,
    int AgeAtReferral,
    string? PostcodeDistrict,
    IReadOnlyList<NeedCategory> Needs,
    Urgency Urgency,
    DateTimeOffset SubmittedAt,
    ReferralStatus Status)
{
    public long Version { get; set; }

    public Guid? RegisteredJourneyId { get; init; }

    public TriageOutcome? Triage { get; init; }

    /// <summary>The tier and priority in force (the triage decision's, or a team lead's override).</summary>
    public Tier RequiredTier { get; init; }

    public Priority Priority { get; init; }

    public bool Eligible { get; init; }

    public bool Escalated { get; init; }

    public bool Overridden { get; init; }

    public Guid? AssignmentId { get; init; }

    public string? AssignedWorkerId { get; init; }

    public Tier? AssignedWorkerTier { get; init; }

    public DateTimeOffset? AssignedAt { get; init; }

    public IReadOnlyList<string> AssignmentReasons { get; init; } = [];

    /// <summary>Workers who declined or handed it back: not offered it again automatically.</summary>
    public IReadOnlyList<string> ExcludedWorkers { get; init; } = [];

    /// <summary>The worker who took the person on last, for continuity.</summary>
    public string? LastAcceptedWorkerId { get; init; }

    public DateTimeOffset? QueuedAt { get; init; }

    public IReadOnlyList<string> QueueReasons { get; init; } = [];

    public DateTimeOffset? FirstContactAt { get; init; }

    public DateTimeOffset? ServiceLevelDueAt { get; init; }

    public string? ServiceLevelTimerKey { get; init; }

    public bool ServiceLevelBreached { get; init; }

    public DateTimeOffset? WithdrawnAt { get; init; }

    public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>When it started waiting for a worker: submission (so a deferred or handed-back referral keeps its place).</summary>
    [JsonIgnore]
    public DateTimeOffset WaitingSince => SubmittedAt;

    [JsonIgnore]
    public bool IsWithWorker => Status is ReferralStatus.Offered or ReferralStatus.Accepted;

    [JsonIgnore]
    public bool IsWaiting => Status is ReferralStatus.Queued or ReferralStatus.AwaitingTeamLead;

    public QueueNeeds QueueNeeds() =>
        new(RegisteredPracticeOds, PostcodeDistrict, RequiredTier, Priority, PreviousWorkerId, ExcludedWorkers, WaitingSince);

    /// <summary>Applies one of this aggregate's events (for state kept in memory while a session builds up events).</summary>
    public Referral Evolve(object e) => e switch
    {
        TriageDecided x => Apply(x),
        TriageDecisionOverridden x => Apply(x),
        ReferralEscalationRaised x => Apply(x),
        WorkerAssigned x => Apply(x),
        PlacedInQueue x => Apply(x),
        HeldForTeamLead x => Apply(x),
        AssignmentAcceptedByWorker x => Apply(x),
        AssignmentEnded x => Apply(x),
        JourneyLinked x => Apply(x),
        ReferralWithdrawalRecorded x => Apply(x),
        JourneyClosureRecorded x => Apply(x),
        ServiceLevelSet x => Apply(x),
        FirstContactRecorded x => Apply(x),
        ServiceLevelMissed x => Apply(x),
        _ => throw new ArgumentException($"{e.GetType().Name} is not a referral event.", nameof(e)),
    };

    public static Referral Create(ReferralReceived e) =>
        new(e.ReferralId, e.JourneyId, e.PersonId, e.PreviousJourneyId, e.PreviousWorkerId, e.ProgrammeId, e.RegisteredPracticeOds, e.ReferrerKind,
            e.ReferrerOrganisationId, e.AgeAtReferral, e.PostcodeDistrict, e.Needs, e.Urgency, e.SubmittedAt, ReferralStatus.Received);

    public Referral Apply(TriageDecided e) => this with
    {
        Triage = e.Outcome,
        RequiredTier = e.Outcome.RequiredTier,
        Priority = e.Outcome.Priority,
        Eligible = e.Outcome.Eligible,
        Escalated = e.Outcome.Escalated,
        Status = e.Outcome.Eligible ? ReferralStatus.Received : ReferralStatus.Ineligible,
    };

    public Referral Apply(TriageDecisionOverridden e) => this with
    {
        RequiredTier = e.RequiredTier,
        Priority = e.Priority,
        Eligible = e.Eligible ?? Eligible,
        Overridden = true,
        Status = (e.Eligible, Status) switch
        {
            (false, _) when !IsWithWorker => ReferralStatus.Ineligible,
            (true, ReferralStatus.Ineligible) => ReferralStatus.Received,
            _ => Status,
        },
    };

    public Referral Apply(ReferralEscalationRaised e) => this with { Escalated = true, Priority = Priority.Urgent, RequiredTier = e.RequiredTier };

    public Referral Apply(WorkerAssigned e) => this with
    {
        Status = ReferralStatus.Offered,
        AssignmentId = e.AssignmentId,
        AssignedWorkerId = e.LinkWorkerId,
        AssignedWorkerTier = e.WorkerTier,
        AssignedAt = e.AssignedAt,
        AssignmentReasons = e.Reasons,
        QueuedAt = null,
        QueueReasons = [],
    };

    public Referral Apply(PlacedInQueue e) => this with
    {
        Status = ReferralStatus.Queued,
        QueuedAt = e.QueuedAt,
        QueueReasons = e.Reasons,
    };

    public Referral Apply(HeldForTeamLead e) => this with
    {
        Status = ReferralStatus.AwaitingTeamLead,
        QueuedAt = e.HeldAt,
        QueueReasons = e.Reasons,
    };

    public Referral Apply(AssignmentAcceptedByWorker e) => this with
    {
        Status = ReferralStatus.Accepted,
        LastAcceptedWorkerId = e.LinkWorkerId,
    };

    public Referral Apply(AssignmentEnded e) => this with
    {
        Status = e.Reason switch
        {
            AssignmentEndReason.ReferralWithdrawn => ReferralStatus.Withdrawn,
            AssignmentEndReason.JourneyClosed => ReferralStatus.Closed,
            _ => Eligible ? ReferralStatus.Received : ReferralStatus.Ineligible,
        },
        AssignmentId = null,
        AssignedWorkerId = null,
        AssignedWorkerTier = null,
        AssignedAt = null,
        AssignmentReasons = [],
        ExcludedWorkers = e.Reason is AssignmentEndReason.Declined or AssignmentEndReason.HandedBack
            ? [.. ExcludedWorkers, e.LinkWorkerId]
            : ExcludedWorkers,
    };

    public Referral Apply(JourneyLinked e) => this with { RegisteredJourneyId = e.JourneyId };

    public Referral Apply(ReferralWithdrawalRecorded e) => this with
    {
        WithdrawnAt = e.WithdrawnAt,
        Status = e.AfterFirstContact ? Status : ReferralStatus.Withdrawn,
        QueuedAt = e.AfterFirstContact ? QueuedAt : null,
    };

    /// <summary>A journey closed because its referral was withdrawn before any contact stays shown as withdrawn.</summary>
    public Referral Apply(JourneyClosureRecorded e) => this with
    {
        ClosedAt = e.ClosedAt,
        Status = Status is ReferralStatus.Withdrawn ? ReferralStatus.Withdrawn : ReferralStatus.Closed,
    };

    public Referral Apply(ServiceLevelSet e) => this with { ServiceLevelDueAt = e.DueAt, ServiceLevelTimerKey = e.TimerKey };

    public Referral Apply(FirstContactRecorded e) => this with { FirstContactAt = FirstContactAt ?? e.OccurredAt };

    public Referral Apply(ServiceLevelMissed e) => this with { ServiceLevelBreached = true };
}
