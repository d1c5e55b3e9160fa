using Referrals.Contracts;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.Registering;

// The referral stream (id = ReferralId) collects what support-plan hears about one referral, from different queues and in
// any order, and records what it did with it. It is the rendezvous that lets a triage decision arrive before the submission.

/// <summary>Marks events of a referral stream.</summary>
public interface IReferralEvent : ISupportPlanEvent
{
    Guid ReferralId { get; }
}

/// <summary>Intake's submission: the referral facts the journey needs.</summary>
public sealed record ReferralReceived(
    Guid ReferralId,
    Guid PersonId,
    Guid ProposedJourneyId,
    Guid? PreviousJourneyId,
    string ProgrammeId,
    string RegisteredPracticeOds,
    Referrer Referrer,
    IReadOnlyList<NeedCategory> Needs,
    string? PostcodeDistrict,
    Urgency Urgency,
    ConsentScope SharingScope,
    [property: PersonalData] PersonDetails? Person,
    [property: PersonalData] string? WhatMatters,
    DateTimeOffset SubmittedAt,
    DateTimeOffset ReceivedAt) : IReferralEvent;

/// <summary>Triage's decision on the referral. <see cref="SourceVersion"/> orders re-triages of the same referral.</summary>
public sealed record TriageReceived(
    Guid ReferralId,
    Guid PersonId,
    string ProgrammeId,
    bool Eligible,
    IReadOnlyList<string> Reasons,
    int ComplexityScore,
    Tier RequiredTier,
    Priority Priority,
    bool Escalated,
    DateTimeOffset TriagedAt,
    long? SourceVersion) : IReferralEvent;

/// <summary>A link worker accepted triage's assignment of the referral.</summary>
public sealed record AssignmentAcceptanceReceived(
    Guid ReferralId,
    Guid PersonId,
    Guid AssignmentId,
    string ProgrammeId,
    string LinkWorkerId,
    DateTimeOffset AcceptedAt,
    long? SourceVersion) : IReferralEvent;

/// <summary>The referrer withdrew the referral.</summary>
public sealed record WithdrawalReceived(
    Guid ReferralId,
    Guid PersonId,
    [property: PersonalData] string? Reason,
    DateTimeOffset WithdrawnAt) : IReferralEvent;

/// <summary>The triaged referral was recorded against a journey: a new one, or a reopened one.</summary>
public sealed record ReferralLinkedToJourney(Guid ReferralId, Guid PersonId, Guid JourneyId, bool Reopened, DateTimeOffset LinkedAt) : IReferralEvent;

/// <summary>The accepted assignment was applied to the journey (opened it, or changed its worker).</summary>
public sealed record AssignmentAcceptanceApplied(Guid ReferralId, Guid AssignmentId, Guid JourneyId) : IReferralEvent;

/// <summary>The withdrawal was applied to the journey.</summary>
public sealed record WithdrawalApplied(Guid ReferralId, Guid JourneyId) : IReferralEvent;

/// <summary>A re-triage after registration was applied to the journey.</summary>
public sealed record RetriageApplied(Guid ReferralId, Guid JourneyId, long? SourceVersion) : IReferralEvent;
