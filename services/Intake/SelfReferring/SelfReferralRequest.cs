using Referrals.Contracts;
using Referrals.Intake.Submitting;

namespace Referrals.Intake.SelfReferring;

/// <summary>
/// The lighter schema of POST /self-referrals. The registered GP practice is mandatory (coded outcomes go there): the form
/// lets the person choose it from the practices the programmes serve (GET /programmes, with names from the ODS
/// directory); the programme is then derived from the practice. The NHS number is optional (many people do not know it).
/// </summary>
public sealed class SelfReferralRequest
{
    public PersonRequest? Person { get; init; }

    public string? RegisteredPracticeOds { get; init; }

    /// <summary>Only needed when several programmes serve the practice.</summary>
    public string? Programme { get; init; }

    public List<NeedCategory>? Needs { get; init; }

    public string? WhatMatters { get; init; }

    public SelfReferralRisk? Risk { get; init; }

    public SelfReferralConsent? Consent { get; init; }
}

public sealed class SelfReferralRisk
{
    /// <summary>"Are you thinking about harming yourself, or worried you might?"</summary>
    public bool? RiskOfHarmToSelf { get; init; }

    /// <summary>"Are you worried you might harm someone else?"</summary>
    public bool? RiskOfHarmToOthers { get; init; }

    public string? Notes { get; init; }
}

public sealed class SelfReferralConsent
{
    /// <summary>The person agrees to be contacted and to the referral being shared with the service's link workers.</summary>
    public bool? Agreed { get; init; }

    /// <summary>How much may be shared back to their GP record: Full, CodedOnly or None.</summary>
    public ConsentScope? SharingScope { get; init; }
}
