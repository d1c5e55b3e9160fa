using Referrals.Contracts;
using Referrals.Contracts.Triage;
using Referrals.Intake.ConfirmingTriage;
using Referrals.Intake.People;
using Referrals.Intake.Releasing;
using Referrals.Intake.Referrals;
using Referrals.Intake.Submitting;
using Referrals.Intake.Tracking;
using Referrals.Intake.Withdrawing;

namespace Referrals.Intake.Tests.ConfirmingTriage;

public sealed class TriageConfirmationDeciderTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TriageConfirmationOptions Options = new() { CheckAfter = TimeSpan.FromMinutes(10), CheckAfterWhenAtRisk = TimeSpan.FromMinutes(5), MaxRounds = 3 };

    private static ReferralReceived Received(bool linked = false, RiskAnswers? risk = null, string? riskNotes = null, Urgency urgency = Urgency.Routine) =>
        new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), null, linked, "north-leeds", "B86001",
            new Referrer(ReferrerKind.GpPractice, "B86001", "Dr Shah", "GP", null), ReferralChannel.Api,
            new PersonDetails("9434765919", "Ann", "Example", new DateOnly(1958, 3, 2), "LS7 3AB", null, null, ContactMethod.Letter, null, null), 68, "LS7",
            true, false, [NeedCategory.Housing], "Lonely since her husband died", null, risk ?? new RiskAnswers(false, false, false, false), riskNotes,
            urgency, new ConsentRecord(ConsentAuthority.Person, "A", Now, "B", ConsentScope.Full), ConsentScope.Full, Now);

    private static Referral Flagged(Referral referral, int round) =>
        TriageConfirmationDecider.Check(referral, round, Now.AddMinutes(10 * round), Options).Aggregate(referral, (r, e) => r.Then(e));

    [Fact]
    public void A_referral_still_submitted_when_its_check_comes_due_is_flagged_overdue()
    {
        var referral = Referral.Create(Received());

        var flag = Assert.IsType<ReferralTriageConfirmationOverdue>(Assert.Single(TriageConfirmationDecider.Check(referral, 1, Now.AddMinutes(10), Options)));

        Assert.Equal((referral.Id, referral.PersonId, 1, Now, false, Now.AddMinutes(10)),
            (flag.ReferralId, flag.PersonId, flag.Round, flag.SubmittedAt, flag.FinalCheck, flag.FlaggedAt));
        Assert.Equal(new TriageConfirmationOverdue(1, Now.AddMinutes(10), false), referral.Then(flag).TriageConfirmationOverdue);
    }

    [Fact]
    public void A_referral_triage_has_triaged_is_not_flagged()
    {
        var referral = Referral.Create(Received());
        var triaged = ProgressDecider.Record(referral, new ProgressFact(ProgressPhase.Triage, ReferralStatus.Triaged, new EventSource(Guid.NewGuid(), 2), Now), Now)
            .Aggregate(referral, (r, e) => r.Then(e));

        Assert.Empty(TriageConfirmationDecider.Check(triaged, 1, Now.AddMinutes(10), Options));
    }

    [Fact]
    public void A_withdrawn_referral_is_not_flagged()
    {
        var referral = Referral.Create(Received());
        var withdrawn = referral.Then(new ReferralWithdrawnByReferrer(referral.Id, referral.PersonId, "Moved away", "B86001", Now));

        Assert.Empty(TriageConfirmationDecider.Check(withdrawn, 1, Now.AddMinutes(10), Options));
    }

    [Fact]
    public void A_round_already_checked_is_not_flagged_again()
    {
        var referral = Flagged(Referral.Create(Received()), 1);

        Assert.Empty(TriageConfirmationDecider.Check(referral, 1, Now.AddMinutes(20), Options));
        Assert.Single(TriageConfirmationDecider.Check(referral, 2, Now.AddMinutes(20), Options));
    }

    [Fact]
    public void The_last_round_allowed_is_flagged_final_and_arms_no_further_check()
    {
        var referral = Flagged(Flagged(Referral.Create(Received()), 1), 2);

        var flag = Assert.IsType<ReferralTriageConfirmationOverdue>(Assert.Single(TriageConfirmationDecider.Check(referral, 3, Now.AddMinutes(30), Options)));

        Assert.True(flag.FinalCheck);
        Assert.Null(TriageConfirmationDecider.NextCheck(referral, flag, Options));
        Assert.True(referral.Then(flag).TriageConfirmationOverdue!.ChecksStopped);
    }

    [Fact]
    public void A_round_before_the_last_arms_the_next_round_after_the_wait()
    {
        var referral = Referral.Create(Received());
        var flag = (ReferralTriageConfirmationOverdue)TriageConfirmationDecider.Check(referral, 1, Now.AddMinutes(10), Options)[0];

        Assert.Equal(new Contracts.Intake.TriageConfirmationCheckDue(referral.Id, referral.PersonId, 2, Now.AddMinutes(20)),
            TriageConfirmationDecider.NextCheck(referral, flag, Options));
    }

    [Fact]
    public void A_routine_referral_with_no_risk_answer_is_first_checked_after_the_routine_wait()
    {
        var received = Received();

        Assert.Equal(new Contracts.Intake.TriageConfirmationCheckDue(received.ReferralId, received.PersonId, 1, Now.AddMinutes(10)),
            TriageConfirmationDecider.FirstCheck(received, Options));
    }

    public static TheoryData<RiskAnswers, string?, Urgency> AtRisk => new()
    {
        { new RiskAnswers(true, false, false, false), null, Urgency.Routine },
        { new RiskAnswers(false, true, false, false), null, Urgency.Routine },
        { new RiskAnswers(false, false, true, false), null, Urgency.Routine },
        { new RiskAnswers(false, false, false, true), null, Urgency.Routine },
        { new RiskAnswers(false, false, false, false), "Mentioned not coping", Urgency.Routine },
        { new RiskAnswers(false, false, false, false), null, Urgency.Urgent },
    };

    [Theory]
    [MemberData(nameof(AtRisk))]
    public void A_referral_that_is_urgent_or_has_any_risk_answer_is_checked_after_the_shorter_wait(RiskAnswers risk, string? notes, Urgency urgency)
    {
        Assert.Equal(Now.AddMinutes(5), TriageConfirmationDecider.FirstCheck(Received(risk: risk, riskNotes: notes, urgency: urgency), Options)!.DueAt);
    }

    [Fact]
    public void A_referral_linked_to_an_open_journey_is_not_checked()
    {
        Assert.Null(TriageConfirmationDecider.FirstCheck(Received(linked: true), Options));
    }

    [Fact]
    public void A_linked_referral_released_onto_a_journey_of_its_own_is_first_checked_the_wait_after_its_release_and_one_that_joined_another_s_is_not()
    {
        var linked = Referral.Create(Received(linked: true, risk: new RiskAnswers(true, false, false, false)));
        var releasedAt = Now.AddDays(1);
        Referral Released(bool joined) => linked.Then(new LinkedReferralReleased(linked.Id, linked.PersonId, linked.ProgrammeId, linked.JourneyId,
            JourneyEndReason.NotEligible, Guid.NewGuid(), linked.JourneyId, joined, releasedAt));

        Assert.Equal(new Contracts.Intake.TriageConfirmationCheckDue(linked.Id, linked.PersonId, 1, releasedAt.AddMinutes(5)),
            TriageConfirmationDecider.FirstCheck(Released(joined: false), releasedAt, Options));
        Assert.Null(TriageConfirmationDecider.FirstCheck(Released(joined: true), releasedAt, Options));
    }

    [Fact]
    public void The_submission_s_message_id_is_the_same_for_the_same_referral_and_differs_between_referrals()
    {
        var id = Guid.NewGuid();

        Assert.Equal(TriageConfirmationDecider.SubmissionMessageId(id), TriageConfirmationDecider.SubmissionMessageId(id));
        Assert.NotEqual(TriageConfirmationDecider.SubmissionMessageId(id), TriageConfirmationDecider.SubmissionMessageId(Guid.NewGuid()));
        Assert.NotEqual(id, TriageConfirmationDecider.SubmissionMessageId(id));
    }

    [Fact]
    public void The_copy_sent_again_carries_what_triage_decides_on()
    {
        var received = Received();
        var copy = TriageConfirmationDecider.ResentSubmission(Referral.Create(received));

        Assert.Equal((received.ReferralId, received.JourneyId, received.PersonId, received.ProgrammeId, received.RegisteredPracticeOds, received.AgeAtReferral,
                received.PostcodeDistrict, received.HasLongTermCondition, received.IsCarer, received.Risk, received.Urgency, received.ReasonText, received.ReceivedAt),
            (copy.ReferralId, copy.JourneyId, copy.PersonId, copy.ProgrammeId, copy.RegisteredPracticeOds, copy.AgeAtReferral, copy.PostcodeDistrict,
                copy.HasLongTermCondition, copy.IsCarer, copy.Risk, copy.Urgency, copy.ReasonText, copy.SubmittedAt));
        Assert.Equal(received.Person, copy.Person);
        Assert.Equal(received.Needs, copy.Needs);
    }
}
