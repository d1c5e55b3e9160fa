namespace Referrals.Contracts;

/// <summary>
/// Marks a property holding a person's personal data. The event store encrypts such properties under the person's own
/// key (named by the message's <c>PersonId</c>), so erasing the key erases them everywhere.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class PersonalDataAttribute : Attribute;

/// <summary>
/// The stream and version whose events produced an integration event. The outbox relay fills it in, so a consumer can
/// tell a duplicate (already applied) from a gap (an earlier one still missing).
/// </summary>
public sealed record EventSource(Guid StreamId, long Version);

/// <summary>Every integration event names the person and carries its source.</summary>
public interface IIntegrationEvent
{
    Guid PersonId { get; }

    EventSource? Source { get; }
}

/// <summary>How much of the journey may be shared back to the GP record.</summary>
public enum ConsentScope
{
    /// <summary>Coded entries with their narrative and free text.</summary>
    Full,

    /// <summary>Coded entries only, with no narrative or free text.</summary>
    CodedOnly,

    /// <summary>Nothing is sent; the reason is recorded.</summary>
    None,
}

/// <summary>On whose authority consent was given.</summary>
public enum ConsentAuthority
{
    Person,
    ParentOrGuardian,
    LastingPowerOfAttorney,
    BestInterestsDecision,
}

/// <summary>The three cumulative practitioner tiers (seed 000): a higher tier may take lower-tier work, never the reverse.</summary>
public enum Tier
{
    LinkWorker = 1,
    LinkWorkerCoach = 2,
    PsychosocialLinkWorker = 3,
}

public enum Urgency
{
    Routine,
    Soon,
    Urgent,
}

public enum Priority
{
    Routine = 0,
    High = 1,
    Urgent = 2,
}

public enum NeedCategory
{
    LonelinessOrIsolation,
    MentalWellbeing,
    Housing,
    DebtOrBenefits,
    Employment,
    PhysicalActivity,
    CarerSupport,
    LongTermCondition,
    FoodOrFuel,
    Bereavement,
    SubstanceUse,
    PracticalSupport,
    Other,
}

public enum ReferrerKind
{
    GpPractice,
    OtherHealthOrganisation,
    Agency,
    Self,
}

public enum ContactMethod
{
    Phone,
    Text,
    Email,
    Letter,
}

/// <summary>Identifying and contact details of the person referred. Always carried in a [PersonalData] property.</summary>
public sealed record PersonDetails(
    string? NhsNumber,
    string GivenName,
    string FamilyName,
    DateOnly DateOfBirth,
    string? Postcode,
    string? Phone,
    string? Email,
    ContactMethod PreferredContactMethod,
    string? InterpreterLanguage,
    string? AccessibilityNeeds);

/// <summary>Who referred: an organisation by ODS code or registered agency id, and the professional.</summary>
public sealed record Referrer(
    ReferrerKind Kind,
    string OrganisationId,
    string? ProfessionalName,
    string? ProfessionalRole,
    string? ProfessionalContact);

/// <summary>The referrer's structured risk answers; free text travels separately as personal data.</summary>
public sealed record RiskAnswers(
    bool RiskOfHarmToSelf,
    bool RiskOfHarmToOthers,
    bool SafeguardingConcern,
    bool RisksToVisitingWorker);

/// <summary>
/// Consent to the referral. <see cref="GivenBy"/> names a person, so a consent record is always carried in a [PersonalData]
/// property: the store encrypts a marked property's whole value and reads only top-level marks, so a mark on
/// <see cref="GivenBy"/> itself would protect nothing.
/// </summary>
public sealed record ConsentRecord(
    ConsentAuthority Authority,
    string GivenBy,
    DateTimeOffset GivenAt,
    string RecordedBy,
    ConsentScope SharingScope);
