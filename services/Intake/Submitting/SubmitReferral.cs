using Referrals.Contracts;
using Referrals.Intake.People;

namespace Referrals.Intake.Submitting;

/// <summary>How a referral reached intake.</summary>
public enum ReferralChannel
{
    Api,
    Fhir,
    SelfReferral,
}

/// <summary>
/// The command every channel (JSON API, FHIR, self-referral) maps to, once its input has been validated. Identifiers
/// are normalised (NHS number digits only, ODS codes upper-case, postcode in its normal form); free text is exactly as typed.
/// </summary>
public sealed record SubmitReferral(
    PersonDetails Person,
    string RegisteredPracticeOds,
    Referrer Referrer,
    string ProgrammeId,
    IReadOnlyList<NeedCategory> Needs,
    string? ReasonText,
    string? WhatMatters,
    RiskAnswers Risk,
    string? RiskNotes,
    Urgency Urgency,
    ConsentRecord Consent,
    bool HasLongTermCondition,
    bool IsCarer,
    ReferralChannel Channel)
{
    /// <summary>The organisation the referral is made by (and the only one that may read or withdraw it).</summary>
    public string OrganisationId => Referrer.OrganisationId;
}

/// <summary>
/// Intake accepted a referral (the first event of a referral stream). It names the person (and their person-index
/// entry, a keyed hash of the NHS number, when there is one), the journey it opened or joined, and everything submitted.
/// </summary>
public sealed record ReferralReceived(
    Guid ReferralId,
    Guid PersonId,
    Guid? PersonIndexId,
    Guid JourneyId,
    Guid? PreviousJourneyId,
    bool LinkedToOpenJourney,
    string ProgrammeId,
    string RegisteredPracticeOds,
    Referrer Referrer,
    ReferralChannel Channel,
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
    ConsentScope SharingScope,
    DateTimeOffset ReceivedAt)
{
    /// <summary>The details differed from those held for the NHS number (HAZ-003 C3); null when they matched or nobody was held.</summary>
    public IdentityMismatch? IdentityMismatch { get; init; }
}
