using Referrals.Contracts;
using Referrals.Triage.Common;

namespace Referrals.Triage.Assigning;

/// <summary>The referral was offered to a link worker, who must accept, decline or hand it back.</summary>
public sealed record WorkerAssigned(
    Guid ReferralId,
    Guid PersonId,
    Guid AssignmentId,
    string ProgrammeId,
    string LinkWorkerId,
    Tier WorkerTier,
    QueueNeeds Needs,
    bool Escalated,
    bool Continuity,
    bool OverCapacity,
    IReadOnlyList<string> Reasons,
    int ConfigurationVersion,
    string AssignedBy,
    DateTimeOffset AssignedAt) : ITriageEvent
{
    /// <summary>A team lead's reason for a manual assignment; it may describe the person.</summary>
    [PersonalData]
    public string? Note { get; init; }
}

/// <summary>What a queued referral needs, so the queue can be matched without reading every referral.</summary>
public sealed record QueueNeeds(
    string RegisteredPracticeOds,
    string? PostcodeDistrict,
    Tier RequiredTier,
    Priority Priority,
    string? PreviousWorkerId,
    IReadOnlyList<string> ExcludedWorkers,
    DateTimeOffset WaitingSince);

/// <summary>No suitable worker had capacity: the referral waits in the programme queue (position at the time it joined).</summary>
public sealed record PlacedInQueue(
    Guid ReferralId,
    Guid PersonId,
    string ProgrammeId,
    int Position,
    QueueNeeds Needs,
    IReadOnlyList<string> Reasons,
    int ConfigurationVersion,
    DateTimeOffset QueuedAt) : ITriageEvent;

/// <summary>
/// An escalated referral that no worker of the required tier covers: it is not put in the routine queue but held for the
/// team lead to allocate (its escalation runs through the duty chain regardless).
/// </summary>
public sealed record HeldForTeamLead(
    Guid ReferralId,
    Guid PersonId,
    string ProgrammeId,
    QueueNeeds Needs,
    IReadOnlyList<string> Reasons,
    DateTimeOffset HeldAt) : ITriageEvent;

public enum AssignmentEndReason
{
    Declined,
    HandedBack,
    Reassigned,
    TakenOver,
    DeferredForEscalation,
    Overridden,
    ReferralWithdrawn,
    JourneyClosed,
    /// <summary>A safeguarding concern escalated the referral while it was offered to a worker below the tier escalations need.</summary>
    EscalatedAboveWorkerTier,
}

/// <summary>
/// The worker no longer carries the assignment; their caseload drops. Intake this year drops too when they had not
/// accepted it. <see cref="Note"/> is the worker's or team lead's reason and may describe the person.
/// </summary>
public sealed record AssignmentEnded(
    Guid ReferralId,
    Guid PersonId,
    Guid AssignmentId,
    string ProgrammeId,
    string LinkWorkerId,
    AssignmentEndReason Reason,
    [property: PersonalData] string? Note,
    bool WasAccepted,
    string EndedBy,
    DateTimeOffset EndedAt) : ITriageEvent;
