using Referrals.Contracts;
using Referrals.Contracts.Intake;
using Referrals.Intake.People;
using Referrals.Intake.Referrals;
using Referrals.ServiceDefaults.Problems;
using Referrals.SharedKernel;

namespace Referrals.Intake.Submitting;

/// <summary>Fresh ids for a submission, made by the caller so the decision stays pure.</summary>
public sealed record SubmissionIds(Guid ReferralId, Guid PersonId, Guid JourneyId);

/// <summary>What a submission does: the person-index events, the referral's first event and the integration event.</summary>
public sealed record SubmissionDecision(IReadOnlyList<object> PersonIndexEvents, ReferralReceived Received, IIntegrationEvent Message);

public static class SubmitReferralDecider
{
    /// <summary>
    /// Decides a validated submission against the person's index entry (<paramref name="indexId"/> is null when the
    /// referral has no NHS number - possible only for self-referrals - and so cannot be matched to anyone).
    /// <paramref name="held"/> are the details held for the indexed person (HAZ-003 C3): when the date of birth or family
    /// name differs, the referral is linked only if the referrer confirmed it is the same person. Without that, a referral
    /// from a referrer is refused for them to check, unless it may indicate risk; a self-referral, or a referral that may
    /// indicate risk, goes ahead as a person of its own, so nothing is delayed and nobody's record is joined to another's.
    /// An indexed person with no details held (their erasure under way) cannot be compared with, nor confirmed: the
    /// referral is a person of its own.
    /// A self-referral is always a person of its own, whatever it matches (HAZ-003 C6): nobody signs in to send one, and
    /// an NHS number, date of birth and family name are known to family members, so linking it would let a caller reopen
    /// the person's journey, with its history, under the caller's contact details. Nor does it index the NHS number, so
    /// a later referral from a referrer is not linked to a person the caller made.
    /// </summary>
    public static SubmissionDecision Decide(PersonIndexEntry? entry, Guid? indexId, SubmitReferral command, SubmissionIds ids,
        DateTimeOffset now, PersonDetails? held, bool identityConfirmed)
    {
        IReadOnlyList<string> differences = entry?.PersonId is null ? []
            : held is null ? [IdentityCheck.NothingHeld]
            : IdentityCheck.Differences(held, command.Person);
        var linkTo = command.Channel == ReferralChannel.SelfReferral ? null : indexId;
        if (differences.Count > 0 && !(identityConfirmed && held is not null))
        {
            if (held is not null && command.Channel != ReferralChannel.SelfReferral && !MayIndicateRisk(command))
            {
                throw new DomainRuleException(IdentityCheck.RefusalMessage);
            }

            linkTo = null;
        }

        var admission = linkTo is { } id
            ? PersonIndexDecider.Admit(entry, id, command.ProgrammeId, ids.ReferralId, ids.PersonId, ids.JourneyId, now)
            : new Admission(ids.PersonId, ids.JourneyId, null, false, []);

        var received = new ReferralReceived(
            ids.ReferralId,
            admission.PersonId,
            linkTo,
            admission.JourneyId,
            admission.PreviousJourneyId,
            admission.LinkedToOpenJourney,
            command.ProgrammeId,
            command.RegisteredPracticeOds,
            command.Referrer,
            command.Channel,
            command.Person,
            AgeOn(command.Person.DateOfBirth, DateOnly.FromDateTime(now.UtcDateTime)),
            PostcodeDistrict(command.Person.Postcode),
            command.HasLongTermCondition,
            command.IsCarer,
            command.Needs,
            command.ReasonText,
            command.WhatMatters,
            command.Risk,
            command.RiskNotes,
            command.Urgency,
            command.Consent,
            command.Consent.SharingScope,
            now)
        {
            IdentityMismatch = differences.Count == 0 ? null : new IdentityMismatch(differences, Linked: linkTo is not null),
        };

        // Built from the referral as intake holds it, by the mapping a released linked referral and the triage check's copy use.
        var referral = Referral.Create(received);
        IIntegrationEvent message = admission.LinkedToOpenJourney
            ? SubmissionMessages.Linked(referral, now)
            : SubmissionMessages.Submitted(referral);

        return new SubmissionDecision(admission.Events, received, message);
    }

    /// <summary>
    /// A structured risk answer, any urgency above routine, or risk notes: such a referral is never held back by the
    /// identity check. (Risk phrases elsewhere in free text are triage's to find; the referrer is told at once.)
    /// </summary>
    private static bool MayIndicateRisk(SubmitReferral command) =>
        command.Risk.RiskOfHarmToSelf || command.Risk.RiskOfHarmToOthers || command.Risk.SafeguardingConcern ||
        command.Risk.RisksToVisitingWorker || command.Urgency != Urgency.Routine || !string.IsNullOrWhiteSpace(command.RiskNotes);

    /// <summary>Whole years of age on a date.</summary>
    public static int AgeOn(DateOnly dateOfBirth, DateOnly on)
    {
        var age = on.Year - dateOfBirth.Year;
        return on < dateOfBirth.AddYears(age) ? age - 1 : age;
    }

    private static string? PostcodeDistrict(string? postcode) =>
        UkPostcode.TryCreate(postcode, out var parsed, out _) ? parsed.Value.District : null;
}
