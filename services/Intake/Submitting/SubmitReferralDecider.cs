using Referrals.Contracts;
using Referrals.Contracts.Intake;
using Referrals.Intake.People;
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
    /// </summary>
    public static SubmissionDecision Decide(PersonIndexEntry? entry, Guid? indexId, SubmitReferral command, SubmissionIds ids,
        DateTimeOffset now)
    {
        var admission = indexId is { } id
            ? PersonIndexDecider.Admit(entry, id, command.ProgrammeId, ids.ReferralId, ids.PersonId, ids.JourneyId, now)
            : new Admission(ids.PersonId, ids.JourneyId, null, false, []);

        var received = new ReferralReceived(
            ids.ReferralId,
            admission.PersonId,
            indexId,
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
            now);

        IIntegrationEvent message = admission.LinkedToOpenJourney
            ? new ReferralLinkedToOpenJourney(ids.ReferralId, admission.JourneyId, admission.PersonId, command.ProgrammeId,
                command.Referrer, now)
            {
                Risk = command.Risk,
                RiskNotes = command.RiskNotes,
                Urgency = command.Urgency,
                Needs = command.Needs,
                ReasonText = command.ReasonText,
                RegisteredPracticeOds = command.RegisteredPracticeOds,
            }
            : new ReferralSubmitted(
                ids.ReferralId,
                admission.JourneyId,
                admission.PersonId,
                admission.PreviousJourneyId,
                command.ProgrammeId,
                command.RegisteredPracticeOds,
                command.Referrer,
                command.Person,
                received.AgeAtReferral,
                received.PostcodeDistrict,
                command.HasLongTermCondition,
                command.IsCarer,
                command.Needs,
                command.ReasonText,
                command.WhatMatters,
                command.Risk,
                command.RiskNotes,
                command.Urgency,
                command.Consent,
                now);

        return new SubmissionDecision(admission.Events, received, message);
    }

    /// <summary>Whole years of age on a date.</summary>
    public static int AgeOn(DateOnly dateOfBirth, DateOnly on)
    {
        var age = on.Year - dateOfBirth.Year;
        return on < dateOfBirth.AddYears(age) ? age - 1 : age;
    }

    private static string? PostcodeDistrict(string? postcode) =>
        UkPostcode.TryCreate(postcode, out var parsed, out _) ? parsed.Value.District : null;
}
