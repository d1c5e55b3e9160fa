using Referrals.Contracts;

namespace Referrals.Intake.Submitting;

// The JSON body of POST /referrals. Every property is nullable so that a missing value is reported by name instead of
// failing the whole body; ReferralValidator turns a request into a SubmitReferral command or a field-by-field 400.

public sealed class ReferralRequest
{
    public PersonRequest? Person { get; init; }

    /// <summary>ODS code of the GP practice where the person is registered (coded outcomes go there).</summary>
    public string? RegisteredPracticeOds { get; init; }

    public ReferrerRequest? Referrer { get; init; }

    /// <summary>Programme id, e.g. <c>north-leeds</c> (see GET /programmes).</summary>
    public string? Programme { get; init; }

    public List<NeedCategory>? Needs { get; init; }

    public string? ReasonText { get; init; }

    public string? WhatMatters { get; init; }

    public RiskRequest? Risk { get; init; }

    public Urgency? Urgency { get; init; }

    public ConsentRequest? Consent { get; init; }

    public bool? HasLongTermCondition { get; init; }

    public bool? IsCarer { get; init; }
}

public sealed class PersonRequest
{
    public string? NhsNumber { get; init; }

    public string? GivenName { get; init; }

    public string? FamilyName { get; init; }

    public DateOnly? DateOfBirth { get; init; }

    public string? Postcode { get; init; }

    public string? Phone { get; init; }

    public string? Email { get; init; }

    public ContactMethod? PreferredContactMethod { get; init; }

    public string? InterpreterLanguage { get; init; }

    public string? AccessibilityNeeds { get; init; }
}

public sealed class ReferrerRequest
{
    /// <summary>Optional: inferred as Agency for an agency id (AGY-…), otherwise GpPractice.</summary>
    public ReferrerKind? Kind { get; init; }

    /// <summary>The referring organisation's ODS code, or its registered agency id (AGY-…).</summary>
    public string? OrganisationId { get; init; }

    public string? ProfessionalName { get; init; }

    public string? ProfessionalRole { get; init; }

    public string? ProfessionalContact { get; init; }
}

public sealed class RiskRequest
{
    public bool? RiskOfHarmToSelf { get; init; }

    public bool? RiskOfHarmToOthers { get; init; }

    public bool? SafeguardingConcern { get; init; }

    public bool? RisksToVisitingWorker { get; init; }

    public string? Notes { get; init; }
}

public sealed class ConsentRequest
{
    public ConsentAuthority? Authority { get; init; }

    /// <summary>Who gave consent (the person, or the parent, guardian, attorney or decision-maker).</summary>
    public string? GivenBy { get; init; }

    public DateTimeOffset? GivenAt { get; init; }

    public string? RecordedBy { get; init; }

    /// <summary>How much may be shared back to the GP record: Full, CodedOnly or None.</summary>
    public ConsentScope? SharingScope { get; init; }
}
