using Referrals.Contracts;
using Referrals.SupportPlan.Closing;
using Referrals.SupportPlan.Escalating;
using Referrals.SupportPlan.Journeys;
using Referrals.SupportPlan.Opening;
using Referrals.SupportPlan.Overriding;
using Referrals.SupportPlan.Safeguarding;

namespace Referrals.SupportPlan.Registering;

/// <summary>
/// Pure decisions about a referral and its journey. Support-plan is the authority on journey identity:
/// <list type="bullet">
/// <item>A referral is registered once both intake's submission and triage's decision are in (either may come first), unless it
/// was withdrawn first.</item>
/// <item>It reopens the previous journey (same stream, same id) when that journey is the same person's in the same programme, is
/// closed, closed no longer than the re-referral window before this submission, and triage found the referral eligible.
/// Otherwise it starts a new journey under the id intake proposed (or a fresh one if that id is taken).</item>
/// <item>A reopened journey keeps its history, including the person's agreement: 871731000000106 is not due again. It does not
/// keep its worker: the new episode has none until a worker accepts the re-referral (<see cref="Open"/>).</item>
/// </list>
/// </summary>
public static class ReferralDecider
{
    public const string System = "system:support-plan";

    /// <summary>Whether a fact adds anything: duplicates and stale re-sends (older source version) are ignored.</summary>
    public static bool Accepts(Referral? referral, object fact) => fact switch
    {
        ReferralReceived => referral?.Submission is null,
        TriageReceived t => referral?.Triage is not { } known || IsNewer(t.SourceVersion, known.SourceVersion),
        AssignmentAcceptanceReceived a => referral?.Acceptance is not { } known ||
                                          (a.AssignmentId != known.AssignmentId && IsNewer(a.SourceVersion, known.SourceVersion)),
        WithdrawalReceived => referral?.Withdrawal is null,
        TriageOverrideReceived o => referral?.Override is not { } known || IsNewer(o.SourceVersion, known.SourceVersion),
        // Every step of one escalation carries the same version: only a later one (another escalation since) adds anything.
        EscalationReceived e => referral?.Escalation is not { } known || e.SourceVersion > known.SourceVersion,
        _ => false,
    };

    private static bool IsNewer(long? incoming, long? known) => incoming is null || known is null || incoming > known;

    public static bool RegistrationDue(Referral referral) =>
        referral is { Submission: not null, Triage: not null, JourneyId: null, Withdrawal: null };

    public sealed record Registration(Guid JourneyId, bool Reopened, JourneyRegistered Event);

    /// <param name="previous">The journey named by the submission's PreviousJourneyId, if it exists.</param>
    /// <param name="proposed">The journey under the id intake proposed, if that id is already taken.</param>
    public static Registration Register(Referral referral, Journey? previous, Journey? proposed, DateTimeOffset now, JourneyPolicy policy,
        Func<Guid> newJourneyId)
    {
        var submission = referral.Submission ?? throw new InvalidOperationException("Registration needs the submission.");
        var triage = referral.Triage ?? throw new InvalidOperationException("Registration needs the triage decision.");
        var facts = new ReferralFacts(referral.Id, submission.RegisteredPracticeOds, submission.Referrer, submission.Needs,
            submission.PostcodeDistrict, submission.Urgency, submission.SharingScope, submission.SubmittedAt, triage.Eligible, triage.Reasons,
            triage.ComplexityScore, triage.RequiredTier, triage.Priority, triage.Escalated, triage.TriagedAt);

        var target = ReopenableOf(referral, previous, policy) ?? ReopenableOf(referral, proposed, policy);
        var (journeyId, reopened) = target is not null ? (target.Id, true)
            : proposed is null ? (submission.ProposedJourneyId, false)
            : (newJourneyId(), false);
        return new Registration(journeyId, reopened, new JourneyRegistered(journeyId, referral.PersonId, submission.ProgrammeId, facts,
            CurrentDetails(referral, previous, proposed), submission.WhatMatters, reopened, now));
    }

    /// <summary>
    /// The person's details as the journey should hold them: as referred, unless one of the person's journeys took a
    /// correction intake made after the referral was submitted (it reached support-plan before this registration did, and
    /// went to the journeys that existed then). Both times are intake's.
    /// </summary>
    private static PersonDetails? CurrentDetails(Referral referral, Journey? previous, Journey? proposed)
    {
        var submission = referral.Submission!;
        var corrected = new[] { previous, proposed }
            .Where(j => j is not null && j.PersonId == referral.PersonId && j.DetailsRectifiedAt > submission.SubmittedAt)
            .MaxBy(j => j!.DetailsRectifiedAt);
        return corrected is not null ? corrected.Person : submission.Person;
    }

    /// <summary>
    /// The re-referral window rule: the same person's closed journey in the same programme, closed within the window before
    /// the referral was made (a referral made while the journey was open was linked to it; one intake released when that
    /// journey ended untaken keeps its first submission time and starts the new journey intake gave it, HAZ-007 C8). A
    /// self-referral never reopens one (HAZ-003 C6): its caller is not known to be the person, and a reopened journey would
    /// show the caller's worker the person's history under the caller's contact details. Intake no longer links a
    /// self-referral to anyone; this holds for one sent before it stopped.
    /// </summary>
    public static Journey? ReopenableOf(Referral referral, Journey? journey, JourneyPolicy policy) =>
        referral.Submission!.Referrer.Kind != ReferrerKind.Self &&
        journey is { Status: JourneyStatus.Closed, ClosedAt: { } closedAt } &&
        journey.PersonId == referral.PersonId &&
        journey.ProgrammeId == referral.Submission!.ProgrammeId &&
        referral.Triage!.Eligible &&
        closedAt <= referral.Submission.SubmittedAt &&
        referral.Submission.SubmittedAt - closedAt <= policy.ReReferralWindow
            ? journey
            : null;

    /// <summary>A worker accepted the referral: open the journey, or (already open) follow a reassignment.</summary>
    public static IReadOnlyList<object> Open(Journey journey, AssignmentAcceptanceReceived acceptance, DateTimeOffset now)
    {
        if (acceptance.ReferralId != journey.Referral.ReferralId)
        {
            return []; // an older referral of a reopened journey
        }

        return journey.Status switch
        {
            JourneyStatus.AwaitingAcceptance or JourneyStatus.NotEligible =>
            [
                new JourneyOpened(journey.Id, acceptance.ReferralId, acceptance.AssignmentId, acceptance.LinkWorkerId, journey.Reopened,
                    journey.Episode + 1, acceptance.AcceptedAt, now),
            ],
            JourneyStatus.Open or JourneyStatus.Active or JourneyStatus.Dormant when journey.AssignmentId != acceptance.AssignmentId =>
            [
                new LinkWorkerChanged(journey.Id, acceptance.AssignmentId, journey.LinkWorkerId, acceptance.LinkWorkerId, now),
            ],
            _ => [],
        };
    }

    /// <summary>
    /// The referrer withdrew the referral. Before the person has started with a worker (awaiting acceptance, not eligible, or
    /// opened but not yet agreed, dormant included) the journey closes as withdrawn. Once the person has agreed and is working with the worker
    /// (active or dormant), the withdrawal is noted on the journey for the worker, and the journey continues: it is the
    /// person's journey now, and only they (through the worker) end it.
    /// A withdrawal cannot be refused, so unlike a worker's closure it closes over safeguarding concerns triage has not
    /// confirmed (HAZ-001 C9): their ids go on <see cref="JourneyClosed"/> (no reason: nobody was asked), and the worker's
    /// caseload keeps the closed journey until triage confirms them. Likewise over further referrals nobody has read (HAZ-001
    /// C11): their ids go on <see cref="JourneyClosed"/>, and the caseload keeps the journey until they are acknowledged.
    /// </summary>
    /// <param name="confirmations">The confirmation state of the journey's concerns, by concern id (a concern absent is unconfirmed).</param>
    public static IReadOnlyList<object> Withdraw(Journey journey, WithdrawalReceived withdrawal,
        IReadOnlyDictionary<Guid, ConcernConfirmation> confirmations, DateTimeOffset now)
    {
        if (withdrawal.ReferralId != journey.Referral.ReferralId || journey.IsClosed)
        {
            return [];
        }

        // Not started with a worker: awaiting acceptance or not eligible (a reopened journey too), or opened but never agreed -
        // whether open or gone dormant before the agreement.
        var closes = journey.Status is JourneyStatus.AwaitingAcceptance or JourneyStatus.NotEligible || journey.AgreedAt is null;
        var noted = new ReferralWithdrawalNoted(journey.Id, journey.PersonId, withdrawal.ReferralId, withdrawal.Reason, closes,
            withdrawal.WithdrawnAt, now);
        return closes
            ? [noted, new JourneyClosed(journey.Id, journey.PersonId, ClosureReason.Withdrawn, null, [], null, System, now)
            {
                ClosedWithUnconfirmedConcerns = [.. ClosureDecider.UnconfirmedConcerns(journey, confirmations).Select(c => c.ConcernId)],
                ClosedWithUnacknowledgedFurtherReferrals = [.. ClosureDecider.UnacknowledgedFurtherReferrals(journey).Select(f => f.ReferralId)],
            }]
            : [noted];
    }

    /// <summary>Triage decided the current referral again: tier, priority and escalation follow, unless the journey is closed.</summary>
    public static IReadOnlyList<object> Retriage(Journey journey, TriageReceived triage) =>
        triage.ReferralId != journey.Referral.ReferralId || journey.IsClosed
            ? []
            : [new ReferralRetriaged(journey.Id, triage.ReferralId, triage.Eligible, triage.Reasons, triage.ComplexityScore, triage.RequiredTier,
                triage.Priority, triage.Escalated, triage.TriagedAt)];
}
