using Referrals.Contracts;
using Referrals.Contracts.Intake;
using Referrals.Contracts.Triage;
using Referrals.Intake.ConfirmingTriage;
using Referrals.Intake.People;
using Referrals.Intake.Referrals;
using Referrals.Intake.Releasing;
using Referrals.Intake.Submitting;
using Referrals.Intake.Tracking;
using Referrals.Intake.Withdrawing;

namespace Referrals.Intake.Tests.ConfirmingTriage;

/// <summary>The linked referral receipt check's pure decisions (HAZ-001 C18).</summary>
public sealed class LinkedReferralReceiptDeciderTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TriageConfirmationOptions Options = new() { CheckAfter = TimeSpan.FromMinutes(10), CheckAfterWhenAtRisk = TimeSpan.FromMinutes(5), MaxRounds = 3 };

    private static Referral Linked() => Referral.Create(
        new ReferralReceived(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), null, true, "north-leeds", "B86001",
            new Referrer(ReferrerKind.GpPractice, "B86001", "Dr Shah", "GP", null), ReferralChannel.Api,
            new PersonDetails("9434765919", "Ann", "Example", new DateOnly(1958, 3, 2), "LS7 3AB", null, null, ContactMethod.Letter, null, null), 68, "LS7",
            true, false, [NeedCategory.Housing], "Lonely since her husband died", null, new RiskAnswers(false, false, false, false), null,
            Urgency.Routine, new ConsentRecord(ConsentAuthority.Person, "A", Now, "B", ConsentScope.Full), ConsentScope.Full, Now));

    private static LinkedReferralReceiptCheckDue Due(Referral referral, int round) =>
        new(referral.Id, referral.PersonId, referral.JourneyId, Now, round, Now.AddMinutes(5 * round));

    private static Referral Apply(Referral referral, IEnumerable<object> events) => events.Aggregate(referral, (r, e) => r.Then(e));

    private static Referral Flagged(Referral referral, int round) =>
        Apply(referral, LinkedReferralReceiptDecider.Check(referral, Due(referral, round), Now.AddMinutes(5 * round), Options));

    private static LinkedReferralReceived Receipt(Referral referral, Guid? journeyId = null) =>
        new(referral.Id, journeyId ?? referral.JourneyId, referral.PersonId, Guid.NewGuid(), Now.AddMinutes(1));

    [Fact]
    public void A_linked_referral_is_first_checked_after_the_shorter_wait_whatever_it_reports_on_the_journey_and_at_the_time_of_its_linking()
    {
        var referral = Linked();
        var message = SubmissionMessages.Linked(referral, Now);

        Assert.Equal(new LinkedReferralReceiptCheckDue(referral.Id, referral.PersonId, referral.JourneyId, Now, 1, Now.AddMinutes(5)),
            LinkedReferralReceiptDecider.FirstCheck(message, Options));
    }

    [Fact]
    public void A_linked_referral_with_no_receipt_when_its_check_comes_due_is_flagged_and_the_next_round_armed_after_the_same_wait()
    {
        var referral = Linked();

        var flag = Assert.IsType<LinkedReferralTriageReceiptOverdue>(
            Assert.Single(LinkedReferralReceiptDecider.Check(referral, Due(referral, 1), Now.AddMinutes(5), Options)));

        Assert.Equal((referral.Id, referral.JourneyId, 1, Now, false, Now.AddMinutes(5)),
            (flag.ReferralId, flag.JourneyId, flag.Round, flag.LinkedAt, flag.FinalCheck, flag.FlaggedAt));
        Assert.Equal(new TriageConfirmationOverdue(1, Now.AddMinutes(5), false), referral.Then(flag).LinkedTriageReceipt!.Overdue);
        Assert.Equal(Due(referral, 2), LinkedReferralReceiptDecider.NextCheck(Due(referral, 1), flag, Options));
    }

    [Fact]
    public void A_linked_referral_triage_sent_a_receipt_for_is_not_flagged_and_a_second_receipt_records_nothing()
    {
        var referral = Linked();
        var received = Apply(referral, LinkedReferralReceiptDecider.Receipt(referral, Receipt(referral), Now.AddMinutes(2)));

        Assert.Equal(Now.AddMinutes(1), received.LinkedTriageReceipt!.ReceivedAt);
        Assert.Empty(LinkedReferralReceiptDecider.Check(received, Due(referral, 1), Now.AddMinutes(5), Options));
        Assert.Empty(LinkedReferralReceiptDecider.Receipt(received, Receipt(referral), Now.AddMinutes(3)));
    }

    [Fact]
    public void A_receipt_for_a_linking_never_flagged_leaves_updated_at_as_it_was_and_one_clearing_a_shown_flag_moves_it()
    {
        var referral = Linked();
        var quiet = Apply(referral, LinkedReferralReceiptDecider.Receipt(referral, Receipt(referral), Now.AddMinutes(2)));
        Assert.NotNull(quiet.LinkedTriageReceipt!.ReceivedAt);
        Assert.Equal(referral.UpdatedAt, quiet.UpdatedAt);

        var flagged = Flagged(referral, 1);
        Assert.NotNull(ReferralView.From(flagged).TriageConfirmationOverdue);
        var cleared = Apply(flagged, LinkedReferralReceiptDecider.Receipt(flagged, Receipt(flagged), Now.AddMinutes(7)));
        Assert.Null(ReferralView.From(cleared).TriageConfirmationOverdue);
        Assert.Equal(Now.AddMinutes(7), cleared.UpdatedAt);
    }

    [Fact]
    public void A_receipt_for_another_linking_neither_records_nor_stops_the_check_of_the_current_one()
    {
        var referral = Linked();

        Assert.Empty(LinkedReferralReceiptDecider.Receipt(referral, Receipt(referral, journeyId: Guid.NewGuid()), Now.AddMinutes(2)));
        Assert.Single(LinkedReferralReceiptDecider.Check(referral, Due(referral, 1), Now.AddMinutes(5), Options));
    }

    [Fact]
    public void A_round_already_checked_is_not_flagged_again_and_the_last_round_allowed_is_flagged_final_and_arms_nothing()
    {
        var referral = Flagged(Flagged(Linked(), 1), 2);

        Assert.Empty(LinkedReferralReceiptDecider.Check(referral, Due(referral, 2), Now.AddMinutes(10), Options));
        var flag = Assert.IsType<LinkedReferralTriageReceiptOverdue>(
            Assert.Single(LinkedReferralReceiptDecider.Check(referral, Due(referral, 3), Now.AddMinutes(15), Options)));
        Assert.True(flag.FinalCheck);
        Assert.Null(LinkedReferralReceiptDecider.NextCheck(Due(referral, 3), flag, Options));
        Assert.True(referral.Then(flag).LinkedTriageReceipt!.Overdue!.ChecksStopped);
    }

    [Fact]
    public void A_withdrawn_linked_referral_or_one_released_onto_a_journey_of_its_own_is_not_flagged_but_one_whose_journey_closed_is()
    {
        var referral = Linked();
        var withdrawn = referral.Then(new ReferralWithdrawnByReferrer(referral.Id, referral.PersonId, "Moved away", "B86001", Now));
        var released = referral.Then(new LinkedReferralReleased(referral.Id, referral.PersonId, referral.ProgrammeId, referral.JourneyId,
            JourneyEndReason.NotEligible, Guid.NewGuid(), referral.JourneyId, LinkedToOpenJourney: false, Now));
        var closed = referral.Then(new ReferralProgressRecorded(referral.Id, referral.PersonId, ProgressPhase.Journey,
            ReferralStatus.Closed, new EventSource(Guid.NewGuid(), 9), Now, Now));

        Assert.Empty(LinkedReferralReceiptDecider.Check(withdrawn, Due(referral, 1), Now.AddMinutes(5), Options));
        Assert.Empty(LinkedReferralReceiptDecider.Check(released, Due(referral, 1), Now.AddMinutes(5), Options));
        Assert.Equal(ReferralStatus.Closed, closed.Status);
        Assert.Single(LinkedReferralReceiptDecider.Check(closed, Due(referral, 1), Now.AddMinutes(5), Options));
    }

    [Fact]
    public void A_linked_referral_linked_again_to_another_journey_is_checked_for_that_linking_only_and_sent_again_on_the_journey_checked()
    {
        var referral = Linked();
        var relinked = referral.Then(new LinkedReferralReleased(referral.Id, referral.PersonId, referral.ProgrammeId, referral.JourneyId,
            JourneyEndReason.NotEligible, Guid.NewGuid(), referral.JourneyId, LinkedToOpenJourney: true, Now.AddMinutes(1)));
        var due = new LinkedReferralReceiptCheckDue(relinked.Id, relinked.PersonId, relinked.JourneyId, Now.AddMinutes(1), 1, Now.AddMinutes(6));

        Assert.Empty(LinkedReferralReceiptDecider.Check(relinked, Due(referral, 1), Now.AddMinutes(5), Options));
        Assert.Single(LinkedReferralReceiptDecider.Check(relinked, due, Now.AddMinutes(6), Options));
        Assert.NotEqual(LinkedReferralReceiptDecider.LinkedMessageId(referral.Id, referral.JourneyId),
            LinkedReferralReceiptDecider.LinkedMessageId(relinked.Id, relinked.JourneyId));
    }

    [Fact]
    public void A_copy_sent_again_names_the_journey_and_time_of_its_linking_after_support_plan_recorded_the_journey_under_another_id()
    {
        var referral = Linked();
        var identified = referral.Then(new ReferralJourneyIdentified(referral.Id, referral.JourneyId, Guid.NewGuid(), Now.AddMinutes(1)));
        Assert.NotEqual(referral.JourneyId, identified.JourneyId);

        // The journey id triage derives the escalation's id from, so a copy of one it applied opens nothing more.
        var resent = LinkedReferralReceiptDecider.ResentLink(identified, Due(referral, 1));

        Assert.Equal((referral.Id, referral.JourneyId, Now), (resent.ReferralId, resent.JourneyId, resent.LinkedAt));
        Assert.Single(LinkedReferralReceiptDecider.Check(identified, Due(referral, 1), Now.AddMinutes(5), Options));
    }
}
