namespace Referrals.Contracts.Intake;

/// <summary>
/// A referral was accepted by intake. It opens a journey (one episode of care) for the person, or - when the person
/// already had one in this programme that is closed - names that earlier journey so it can be reopened.
/// <see cref="Consent"/> names who gave it (the person, or a parent, attorney or decision-maker), so it is personal data as a
/// whole, as intake keeps it: encrypted at rest, null once the person is erased.
/// </summary>
public sealed record ReferralSubmitted(
    Guid ReferralId,
    Guid JourneyId,
    Guid PersonId,
    Guid? PreviousJourneyId,
    string ProgrammeId,
    string RegisteredPracticeOds,
    Referrer Referrer,
    [property: PersonalData] PersonDetails? Person,
    int AgeAtReferral,
    string? PostcodeDistrict,
    bool HasLongTermCondition,
    bool IsCarer,
    IReadOnlyList<NeedCategory> Needs,
    [property: PersonalData] string? ReasonText,
    [property: PersonalData] string? WhatMatters,
    RiskAnswers Risk,
    [property: PersonalData] string? RiskNotes,
    Urgency Urgency,
    [property: PersonalData] ConsentRecord? Consent,
    DateTimeOffset SubmittedAt) : IIntegrationEvent
{
    public EventSource? Source { get; init; }
}

/// <summary>The referrer withdrew the referral; the journey stops unless the person has already started with a worker.</summary>
public sealed record ReferralWithdrawn(
    Guid ReferralId,
    Guid JourneyId,
    Guid PersonId,
    [property: PersonalData] string? Reason,
    DateTimeOffset WithdrawnAt) : IIntegrationEvent
{
    public EventSource? Source { get; init; }
}

/// <summary>
/// A referral arrived for a person who already has an open journey in the programme; it was linked, not duplicated.
/// The optional fields carry what the new referral adds, so that a risk it reports is never lost because it was linked:
/// consumers that hold the open journey should act on <see cref="Risk"/> as they would for a new referral.
/// </summary>
public sealed record ReferralLinkedToOpenJourney(
    Guid ReferralId,
    Guid JourneyId,
    Guid PersonId,
    string ProgrammeId,
    Referrer Referrer,
    DateTimeOffset LinkedAt) : IIntegrationEvent
{
    public EventSource? Source { get; init; }

    /// <summary>The new referral's structured risk answers (null from producers that predate this field).</summary>
    public RiskAnswers? Risk { get; init; }

    [PersonalData]
    public string? RiskNotes { get; init; }

    public Urgency? Urgency { get; init; }

    public IReadOnlyList<NeedCategory>? Needs { get; init; }

    [PersonalData]
    public string? ReasonText { get; init; }

    /// <summary>What matters to the person, in the referrer's words: read for risk as a new referral's is.</summary>
    [PersonalData]
    public string? WhatMatters { get; init; }

    public string? RegisteredPracticeOds { get; init; }
}

/// <summary>The person's details were corrected; every service replaces its copy.</summary>
public sealed record PersonDetailsRectified(
    Guid PersonId,
    [property: PersonalData] PersonDetails? Person,
    string RectifiedBy,
    DateTimeOffset RectifiedAt) : IIntegrationEvent
{
    public EventSource? Source { get; init; }
}

/// <summary>
/// The person is now registered at another GP practice (a move, not a correction). Coded entries not yet sent, and every
/// later one, go to this practice; what the earlier practice has filed stays there (HAZ-004 C4).
/// </summary>
public sealed record RegisteredPracticeChanged(
    Guid PersonId,
    string RegisteredPracticeOds,
    string ChangedBy,
    DateTimeOffset ChangedAt) : IIntegrationEvent
{
    public EventSource? Source { get; init; }
}

/// <summary>An approved erasure: every service shreds its copy of the person's personal data.</summary>
public sealed record PersonErased(
    Guid PersonId,
    Guid ErasureRequestId,
    DateTimeOffset ErasedAt) : IIntegrationEvent
{
    public EventSource? Source { get; init; }
}
