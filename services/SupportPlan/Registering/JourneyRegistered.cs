using Referrals.Contracts;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.Registering;

/// <summary>
/// The facts of the triaged referral the journey works from: who referred, the registered practice, the needs named, the
/// consent scope given at referral and triage's decision. Nothing here identifies the person.
/// </summary>
public sealed record ReferralFacts(
    Guid ReferralId,
    string RegisteredPracticeOds,
    Referrer Referrer,
    IReadOnlyList<NeedCategory> Needs,
    string? PostcodeDistrict,
    Urgency Urgency,
    ConsentScope SharingScope,
    DateTimeOffset SubmittedAt,
    bool Eligible,
    IReadOnlyList<string> TriageReasons,
    int ComplexityScore,
    Tier RequiredTier,
    Priority Priority,
    bool Escalated,
    DateTimeOffset TriagedAt);

/// <summary>
/// A triaged referral was recorded against the journey, which now awaits a worker's acceptance. <see cref="Reopened"/> says a
/// closed journey was reopened for a re-referral within the window.
/// </summary>
public sealed record JourneyRegistered(
    Guid JourneyId,
    Guid PersonId,
    string ProgrammeId,
    ReferralFacts Referral,
    [property: PersonalData] PersonDetails? Person,
    [property: PersonalData] string? WhatMatters,
    bool Reopened,
    DateTimeOffset RegisteredAt) : IJourneyEvent;

/// <summary>Triage decided the journey's current referral again (e.g. after more information); tier and priority follow it.</summary>
public sealed record ReferralRetriaged(
    Guid JourneyId,
    Guid ReferralId,
    bool Eligible,
    IReadOnlyList<string> Reasons,
    int ComplexityScore,
    Tier RequiredTier,
    Priority Priority,
    bool Escalated,
    DateTimeOffset TriagedAt) : IJourneyEvent;

/// <summary>The referrer withdrew a referral of this journey. <see cref="ClosesJourney"/> is false once the person has agreed to work with the worker.</summary>
public sealed record ReferralWithdrawalNoted(
    Guid JourneyId,
    Guid PersonId,
    Guid ReferralId,
    [property: PersonalData] string? Reason,
    bool ClosesJourney,
    DateTimeOffset WithdrawnAt,
    DateTimeOffset NotedAt) : IJourneyEvent;
