using Referrals.Contracts.Intake;
using Referrals.Intake.Referrals;

namespace Referrals.Intake.Submitting;

/// <summary>
/// What intake publishes for a referral it admits, from what it holds for the referral: one mapping for a submission, a copy
/// the triage confirmation check sends again, and a linked referral released when its journey ended untaken.
/// </summary>
public static class SubmissionMessages
{
    /// <summary>A referral that opened its journey: triage triages it, support-plan registers it, gp-records files it.</summary>
    public static ReferralSubmitted Submitted(Referral r) =>
        new(r.Id, r.JourneyId, r.PersonId, r.PreviousJourneyId, r.ProgrammeId, r.RegisteredPracticeOds, r.Referrer, r.Person,
            r.AgeAtReferral, r.PostcodeDistrict, r.HasLongTermCondition, r.IsCarer, r.Needs, r.ReasonText, r.WhatMatters, r.Risk,
            r.RiskNotes, r.Urgency, r.Consent, r.SubmittedAt);

    /// <summary>A referral that joined the person's open journey: triage reads it for risk against that journey's referral.</summary>
    public static ReferralLinkedToOpenJourney Linked(Referral r, DateTimeOffset linkedAt) =>
        new(r.Id, r.JourneyId, r.PersonId, r.ProgrammeId, r.Referrer, linkedAt)
        {
            Risk = r.Risk,
            RiskNotes = r.RiskNotes,
            Urgency = r.Urgency,
            Needs = r.Needs,
            ReasonText = r.ReasonText,
            WhatMatters = r.WhatMatters,
            RegisteredPracticeOds = r.RegisteredPracticeOds,
        };
}
