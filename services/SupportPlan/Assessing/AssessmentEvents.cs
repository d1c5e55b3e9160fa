using Referrals.Contracts;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.Assessing;

/// <summary>The domains of need a holistic assessment covers.</summary>
public enum NeedDomain
{
    SocialConnection,
    MentalWellbeing,
    PhysicalActivity,
    Housing,
    MoneyDebtAndBenefits,
    EmploymentAndEducation,
    CarerRole,
    PracticalNeeds,
}

public enum NeedPriority
{
    Low,
    Medium,
    High,
}

/// <summary>Barriers to change the assessment records.</summary>
public enum Barrier
{
    Transport,
    Confidence,
    Language,
    Disability,
}

/// <summary>"What matters to you?", in the person's own words, as it stands now (it may be rewritten as the conversation goes on).</summary>
public sealed record WhatMattersRecorded(
    Guid JourneyId,
    Guid PersonId,
    [property: PersonalData] string? Narrative,
    string RecordedBy,
    DateTimeOffset RecordedAt) : IJourneyEvent;

/// <summary>The person's strengths and assets, as they stand now.</summary>
public sealed record StrengthsRecorded(
    Guid JourneyId,
    Guid PersonId,
    [property: PersonalData] IReadOnlyList<string>? Strengths,
    string RecordedBy,
    DateTimeOffset RecordedAt) : IJourneyEvent;

/// <summary>The barriers to change, as they stand now.</summary>
public sealed record BarriersRecorded(
    Guid JourneyId,
    Guid PersonId,
    IReadOnlyList<Barrier> Barriers,
    [property: PersonalData] string? Note,
    string RecordedBy,
    DateTimeOffset RecordedAt) : IJourneyEvent;

public sealed record NeedIdentified(
    Guid JourneyId,
    Guid PersonId,
    Guid NeedId,
    NeedDomain Domain,
    NeedPriority Priority,
    [property: PersonalData] string? Description,
    string RecordedBy,
    DateTimeOffset IdentifiedAt) : IJourneyEvent;

public sealed record NeedReprioritised(Guid JourneyId, Guid NeedId, NeedPriority Priority, string RecordedBy, DateTimeOffset ReprioritisedAt) : IJourneyEvent;

public sealed record NeedResolved(
    Guid JourneyId,
    Guid PersonId,
    Guid NeedId,
    [property: PersonalData] string? Note,
    string RecordedBy,
    DateTimeOffset ResolvedAt) : IJourneyEvent;
