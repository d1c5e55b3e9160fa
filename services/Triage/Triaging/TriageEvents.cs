using Referrals.Contracts;
using Referrals.Triage.Common;
using Referrals.Triage.Programmes;

namespace Referrals.Triage.Triaging;

/// <summary>
/// Intake's referral as triage keeps it: the structured facts triage decides on. The free text is read once, for
/// indicators, and is not stored here (only which indicators it raised). <see cref="PreviousWorkerId"/> is the worker who
/// supported the person on their previous journey (from the journey index), for continuity.
/// </summary>
public sealed record ReferralReceived(
    Guid ReferralId,
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
    bool HasLongTermCondition,
    bool IsCarer,
    IReadOnlyList<NeedCategory> Needs,
    RiskAnswers Risk,
    Urgency Urgency,
    DateTimeOffset SubmittedAt,
    DateTimeOffset ReceivedAt) : ITriageEvent;

/// <summary>Where an escalation indicator was found.</summary>
public enum IndicatorSource
{
    RiskAnswers,
    ReasonForReferral,
    WhatMatters,
    RiskNotes,
    WorkerConcern,
}

/// <summary>An indicator that escalates: which configured indicator, where it was found and the configured phrase that matched.</summary>
public sealed record IndicatorHit(string Indicator, IndicatorCategory Category, IndicatorSource Source, string? Phrase)
{
    /// <summary>For recipients of an escalation: which indicator and where it was found.</summary>
    public string Describe() => $"{Indicator} ({Describe(Source)})";

    /// <summary>For the triage record: also the configured phrase that matched (never the person's own words).</summary>
    public string Explain() => Phrase is null
        ? Describe()
        : $"{Indicator} ({Describe(Source)}, matched the configured phrase \"{Phrase}\")";

    private static string Describe(IndicatorSource source) => source switch
    {
        IndicatorSource.RiskAnswers => "referrer's risk answers",
        IndicatorSource.ReasonForReferral => "reason for referral",
        IndicatorSource.WhatMatters => "what matters to the person",
        IndicatorSource.RiskNotes => "risk notes",
        _ => "raised by a worker",
    };
}

/// <summary>The explainable triage decision: eligibility, complexity with its factors, tier, priority and escalation.</summary>
public sealed record TriageOutcome(
    bool Eligible,
    IReadOnlyList<string> Reasons,
    string? Signposting,
    int ComplexityScore,
    IReadOnlyList<string> ContributingFactors,
    Tier RequiredTier,
    Priority Priority,
    bool Escalated,
    IReadOnlyList<IndicatorHit> Indicators,
    int ConfigurationVersion);

public sealed record TriageDecided(Guid ReferralId, TriageOutcome Outcome, DateTimeOffset DecidedAt) : ITriageEvent;

/// <summary>A team lead overrode the decision. The reason may describe the person, so it is personal data.</summary>
public sealed record TriageDecisionOverridden(
    Guid ReferralId,
    Guid PersonId,
    Tier RequiredTier,
    Priority Priority,
    bool? Eligible,
    [property: PersonalData] string? Reason,
    string OverriddenBy,
    DateTimeOffset OverriddenAt) : ITriageEvent;

/// <summary>A referral already triaged was escalated later (a worker's safeguarding concern): it must not wait in the queue.</summary>
public sealed record ReferralEscalationRaised(Guid ReferralId, Guid EscalationId, Tier RequiredTier, DateTimeOffset RaisedAt) : ITriageEvent;
