using System.Globalization;
using Referrals.Contracts.Intake;
using Referrals.Contracts.Triage;
using Referrals.Intake.Referrals;
using Referrals.Intake.Submitting;
using Referrals.SharedKernel;

namespace Referrals.Intake.ConfirmingTriage;

/// <summary>
/// Pure decisions of the linked referral receipt check (HAZ-001 C18), the C10 check's counterpart for a referral linked to
/// the person's open journey: triage reads its <c>ReferralLinkedToOpenJourney</c> for risk (C8) and answers
/// <c>LinkedReferralReceived</c>. A linked referral whose message was parked in triage's error queue opens no escalation, so
/// the watchdog has nothing to see; without the receipt in time intake flags it, sends it again and checks again.
/// </summary>
public static class LinkedReferralReceiptDecider
{
    /// <summary>
    /// The MessageId of a linking's <c>ReferralLinkedToOpenJourney</c>, derived from the referral and the journey, so a copy
    /// sent again carries the first one's (triage's inbox drops it if the first was applied, applies it if it was lost); a
    /// referral linked again to another journey (HAZ-007 C8) is a new message.
    /// </summary>
    public static Guid LinkedMessageId(Guid referralId, Guid journeyId) =>
        NameBasedGuid.Create(string.Create(CultureInfo.InvariantCulture, $"intake:referral-linked-to-open-journey\n{referralId:N}\n{journeyId:N}"));

    /// <summary>One key per linking and round: a key that has fired is ignored by the timer store, so the next round needs its own.</summary>
    public static string TimerKey(Guid referralId, Guid journeyId, int round) =>
        string.Create(CultureInfo.InvariantCulture, $"intake:linked-referral-receipt:{referralId:N}:{journeyId:N}:round:{round}");

    /// <summary>
    /// The wait before each check: always the shorter one (<see cref="TriageConfirmationOptions.CheckAfterWhenAtRisk"/>).
    /// Triage escalates a linked referral on indicators in its reason and what matters too, which intake does not read, and
    /// for a person already in the programme this message is the only way its risk reaches anyone.
    /// </summary>
    public static TimeSpan CheckWait(TriageConfirmationOptions options) => options.CheckAfterWhenAtRisk;

    /// <summary>The first check of a linking, from the message intake publishes for it.</summary>
    public static LinkedReferralReceiptCheckDue FirstCheck(ReferralLinkedToOpenJourney linked, TriageConfirmationOptions options) =>
        new(linked.ReferralId, linked.PersonId, linked.JourneyId, linked.LinkedAt, 1, linked.LinkedAt + CheckWait(options));

    /// <summary>The round after a flagged one, or null when the flagged round was the last.</summary>
    public static LinkedReferralReceiptCheckDue? NextCheck(LinkedReferralReceiptCheckDue due, LinkedReferralTriageReceiptOverdue flagged,
        TriageConfirmationOptions options) =>
        flagged.FinalCheck ? null : due with { Round = flagged.Round + 1, DueAt = flagged.FlaggedAt + CheckWait(options) };

    /// <summary>
    /// A check came due. The referral still linked by that linking, with no receipt from triage for it: flagged, the last
    /// round allowed marked final. Otherwise - received, released onto a journey of its own or linked again elsewhere (that
    /// linking has its own check), withdrawn, its person erased, or a round already checked - nothing happens. A journey
    /// closed meanwhile does not stop it: triage still escalates a risk the linked referral reports.
    /// </summary>
    public static IReadOnlyList<object> Check(Referral referral, LinkedReferralReceiptCheckDue due, DateTimeOffset now, TriageConfirmationOptions options) =>
        referral is { LinkedToOpenJourney: true, Withdrawn: false, Person: not null, LinkedTriageReceipt: { ReceivedAt: null } pending } &&
        pending.JourneyId == due.JourneyId && due.Round > (pending.Overdue?.Checks ?? 0)
            ? [new LinkedReferralTriageReceiptOverdue(referral.Id, referral.PersonId, due.JourneyId, due.Round, due.LinkedAt,
                FinalCheck: due.Round >= Math.Max(1, options.MaxRounds), now)]
            : [];

    /// <summary>
    /// The linked referral as triage is sent it again: the mapping intake published it with, from what it holds now, on the
    /// journey and at the time of the linking checked (so triage derives the same escalation id from it).
    /// </summary>
    public static ReferralLinkedToOpenJourney ResentLink(Referral referral, LinkedReferralReceiptCheckDue due) =>
        SubmissionMessages.Linked(referral, due.LinkedAt) with { JourneyId = due.JourneyId };

    /// <summary>Triage's receipt: recorded once, for the referral's current linking; one for another linking changes nothing.</summary>
    public static IReadOnlyList<object> Receipt(Referral referral, LinkedReferralReceived receipt, DateTimeOffset now) =>
        referral.LinkedTriageReceipt is { ReceivedAt: null } pending && pending.JourneyId == receipt.JourneyId
            ? [new LinkedReferralTriageReceiptRecorded(referral.Id, referral.PersonId, receipt.JourneyId, receipt.EscalationId, receipt.ReceivedAt, now)]
            : [];
}
