using Referrals.Contracts;
using Referrals.Contracts.Intake;
using Referrals.Contracts.SupportPlan;
using Referrals.Contracts.Triage;

namespace Referrals.Intake.Tests.Tracking;

/// <summary>Triage's and support-plan's events about one submitted referral, as those services would publish them.</summary>
public sealed class Upstream(ReferralSubmitted referral)
{
    public Guid TriageStream { get; } = Guid.NewGuid();

    public Guid JourneyStream { get; } = Guid.NewGuid();

    public Guid JourneyId { get; set; } = referral.JourneyId;

    public ReferralSubmitted Referral => referral;

    private static DateTimeOffset At(int minutes) => new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero).AddMinutes(minutes);

    public ReferralTriaged Triaged(long version, bool eligible = true, bool escalated = false) =>
        new(referral.ReferralId, referral.JourneyId, referral.PersonId, referral.ProgrammeId, eligible, eligible ? [] : ["Outside the catchment"],
            eligible ? null : "Try the local community hub", 2, [], Tier.LinkWorker, Priority.Routine, escalated, 1, At((int)version))
        {
            Source = new EventSource(TriageStream, version),
        };

    public ReferralEscalated Escalated(long version) =>
        new(Guid.NewGuid(), referral.ReferralId, referral.JourneyId, referral.PersonId, referral.ProgrammeId, 1,
            EscalationRecipientKind.DutyWorker, "duty-1", ["Risk of harm to self"], At(60), false, "Escalated to the duty worker", At((int)version))
        {
            Source = new EventSource(TriageStream, version),
        };

    /// <summary>Triage's escalation message to one recipient at one step of the duty chain.</summary>
    public ReferralEscalated EscalatedTo(EscalationRecipientKind kind, string recipientId, Guid escalationId, int step, string statement,
        long version, bool outsideRotaHours = false, DateTimeOffset? acknowledgeBy = null) =>
        new(escalationId, referral.ReferralId, referral.JourneyId, referral.PersonId, referral.ProgrammeId, step, kind, recipientId,
            ["Risk of harm to self"], acknowledgeBy, outsideRotaHours, statement, At((int)version))
        {
            Source = new EventSource(TriageStream, version),
        };

    public ReferralQueued Queued(long version) =>
        new(referral.ReferralId, referral.JourneyId, referral.PersonId, referral.ProgrammeId, 4, At((int)version))
        {
            Source = new EventSource(TriageStream, version),
        };

    public ReferralAssigned Assigned(long version) =>
        new(Guid.NewGuid(), referral.ReferralId, referral.JourneyId, referral.PersonId, referral.ProgrammeId, "lw-7", Tier.LinkWorker, At((int)version))
        {
            Source = new EventSource(TriageStream, version),
        };

    public AssignmentAccepted Accepted(long version) =>
        new(Guid.NewGuid(), referral.ReferralId, referral.JourneyId, referral.PersonId, referral.PreviousJourneyId, referral.ProgrammeId, "lw-7",
            At((int)version))
        {
            Source = new EventSource(TriageStream, version),
        };

    public JourneyRegistered Registered(long version) =>
        new(JourneyId, referral.PersonId, referral.ReferralId, referral.ProgrammeId, referral.RegisteredPracticeOds, referral.Referrer,
            referral.Needs, Tier.LinkWorker, Priority.Routine, true, false, referral.Consent!.SharingScope, At(100 + (int)version))
        {
            Source = new EventSource(JourneyStream, version),
        };

    public JourneyOpened Opened(long version, bool reopened = false) =>
        new(JourneyId, referral.PersonId, referral.ReferralId, referral.ProgrammeId, "lw-7", reopened, reopened ? 2 : 1, At(100 + (int)version))
        {
            Source = new EventSource(JourneyStream, version),
        };

    public PersonAgreedToSocialPrescribing Agreed(long version) =>
        new(JourneyId, referral.PersonId, referral.ProgrammeId, 1, "lw-7", At(100 + (int)version))
        {
            Source = new EventSource(JourneyStream, version),
        };

    public SocialPrescribingDeclined Declined(long version) =>
        new(JourneyId, referral.PersonId, referral.ProgrammeId, "Not the right time", At(100 + (int)version))
        {
            Source = new EventSource(JourneyStream, version),
        };

    /// <summary>As support-plan closes a journey whose referral was withdrawn before the person agreed: no summary.</summary>
    public JourneyClosed ClosedAsWithdrawn(long version) =>
        new(JourneyId, referral.PersonId, referral.ProgrammeId, ClosureReason.Withdrawn, null, At(100 + (int)version))
        {
            Source = new EventSource(JourneyStream, version),
            SharingScope = referral.Consent!.SharingScope,
        };

    public JourneyClosed Closed(long version) =>
        new(JourneyId, referral.PersonId, referral.ProgrammeId, ClosureReason.GoalsMet,
            new ClosingSummary("Getting back to the allotment",
                [new GoalSummary(Guid.NewGuid(), "Visit the allotment weekly", null, "Achieved")],
                [new ConnectionSummary("Chapeltown Allotment Society", ConnectionKind.OnwardReferral, ConnectionOutcome.Attended)],
                [new OutcomeChange(Instrument.Swemwbs, 17.43m, 23.21m, 5.78m, true)]),
            At(100 + (int)version))
        {
            Source = new EventSource(JourneyStream, version),
        };
}
