using Referrals.Contracts;
using Referrals.Contracts.SupportPlan;
using Referrals.Contracts.Triage;
using Referrals.Intake.People;
using Referrals.Intake.Referrals;
using Referrals.Intake.Releasing;
using Referrals.Intake.Submitting;
using Referrals.Intake.Tracking;
using Referrals.Intake.Withdrawing;
using Referrals.ServiceDefaults.Problems;

namespace Referrals.Intake.Tests.Tracking;

public sealed class ProgressDeciderTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly Guid Triage = Guid.NewGuid();
    private static readonly Guid Journey = Guid.NewGuid();

    private static Referral NewReferral(bool linked = false, ConsentScope scope = ConsentScope.Full) => Referral.Create(new ReferralReceived(
        Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), null, linked, "north-leeds", "B86001",
        new Referrer(ReferrerKind.GpPractice, "B86001", "Dr Shah", "GP", null), ReferralChannel.Api, null, 68, "LS7", true, false,
        [NeedCategory.Housing], null, null, new RiskAnswers(false, false, false, false), null, Urgency.Routine,
        new ConsentRecord(ConsentAuthority.Person, "A", Now, "B", scope), scope, Now));

    private static Referral Apply(Referral referral, params ProgressFact[] facts) =>
        facts.Aggregate(referral, (r, f) => ProgressDecider.Record(r, f, Now).Aggregate(r, (x, e) => x.Then(e)));

    private static ProgressFact Fact(ProgressPhase phase, ReferralStatus status, Guid stream, long version, int minute) =>
        new(phase, status, new EventSource(stream, version), Now.AddMinutes(minute));

    [Fact]
    public void A_later_version_of_the_same_stream_wins_even_if_it_is_a_step_back()
    {
        var referral = Apply(NewReferral(),
            Fact(ProgressPhase.Triage, ReferralStatus.Assigned, Triage, 3, 3),
            Fact(ProgressPhase.Triage, ReferralStatus.Queued, Triage, 4, 4)); // the worker handed it back

        Assert.Equal(ReferralStatus.Queued, referral.Status);
    }

    [Fact]
    public void An_older_version_of_the_same_stream_is_ignored()
    {
        var referral = Apply(NewReferral(),
            Fact(ProgressPhase.Triage, ReferralStatus.Assigned, Triage, 3, 3),
            Fact(ProgressPhase.Triage, ReferralStatus.Triaged, Triage, 2, 2));

        Assert.Equal(ReferralStatus.Assigned, referral.Status);
        Assert.Empty(ProgressDecider.Record(referral, Fact(ProgressPhase.Triage, ReferralStatus.Assigned, Triage, 3, 3), Now));
    }

    [Theory]
    [InlineData(ReferralStatus.Assigned)]
    [InlineData(ReferralStatus.Queued)]
    public void Triage_s_decision_and_its_allocation_published_in_one_transaction_show_the_allocation_whichever_arrives_first(ReferralStatus allocation)
    {
        // Both carry the referral stream's version after triage's one commit.
        var triaged = Fact(ProgressPhase.Triage, ReferralStatus.Triaged, Triage, 3, 1);
        var allocated = Fact(ProgressPhase.Triage, allocation, Triage, 3, 1);

        Assert.Equal(allocation, Apply(NewReferral(), triaged, allocated).Status);
        Assert.Equal(allocation, Apply(NewReferral(), allocated, triaged).Status);
        Assert.Empty(ProgressDecider.Record(Apply(NewReferral(), triaged, allocated), allocated, Now)); // a redelivery adds nothing
    }

    [Fact]
    public void A_decline_and_the_closure_published_in_one_transaction_show_the_closure_whichever_arrives_first()
    {
        var declined = Fact(ProgressPhase.Journey, ReferralStatus.Declined, Journey, 5, 1);
        var closed = Fact(ProgressPhase.Journey, ReferralStatus.Closed, Journey, 5, 1) with { ClosureReason = ClosureReason.Declined };

        Assert.Equal(ReferralStatus.Closed, Apply(NewReferral(), declined, closed).Status);
        Assert.Equal(ReferralStatus.Closed, Apply(NewReferral(), closed, declined).Status);
    }

    [Fact]
    public void Within_one_stream_the_version_decides_not_the_time_the_fact_states()
    {
        // Two instances of triage with skewed clocks: version 4 states an earlier time than version 3.
        var newerEarlier = Apply(NewReferral(),
            Fact(ProgressPhase.Triage, ReferralStatus.Assigned, Triage, 3, 9),
            Fact(ProgressPhase.Triage, ReferralStatus.Queued, Triage, 4, 2));
        var olderLater = Apply(NewReferral(),
            Fact(ProgressPhase.Triage, ReferralStatus.Queued, Triage, 4, 2),
            Fact(ProgressPhase.Triage, ReferralStatus.Assigned, Triage, 3, 9));

        Assert.Equal(ReferralStatus.Queued, newerEarlier.Status);
        Assert.Equal(ReferralStatus.Queued, olderLater.Status);
    }

    [Fact]
    public void Across_streams_of_one_service_the_later_fact_wins()
    {
        var referral = Apply(NewReferral(),
            Fact(ProgressPhase.Triage, ReferralStatus.Accepted, Guid.NewGuid(), 1, 5),
            Fact(ProgressPhase.Triage, ReferralStatus.Assigned, Triage, 3, 3));

        Assert.Equal(ReferralStatus.Accepted, referral.Status);
    }

    [Fact]
    public void Journey_facts_outrank_triage_facts()
    {
        var referral = Apply(NewReferral(),
            Fact(ProgressPhase.Journey, ReferralStatus.Agreed, Journey, 3, 30),
            Fact(ProgressPhase.Triage, ReferralStatus.Assigned, Triage, 3, 40));

        Assert.Equal(ReferralStatus.Agreed, referral.Status);
    }

    [Fact]
    public void A_withdrawal_shows_until_the_journey_closes()
    {
        var referral = NewReferral();
        var withdrawal = WithdrawDecider.Decide(referral, new WithdrawReferral(referral.Id, "B86001", "Duplicate", "user", null), Now);
        referral = withdrawal.Events.Aggregate(referral, (r, e) => r.Then(e));
        Assert.Equal(ReferralStatus.Withdrawn, referral.Status);
        Assert.True(withdrawal.EndsJourney);

        referral = Apply(referral, Fact(ProgressPhase.Triage, ReferralStatus.Triaged, Triage, 2, 2));
        Assert.Equal(ReferralStatus.Withdrawn, referral.Status);

        referral = Apply(referral, Fact(ProgressPhase.Journey, ReferralStatus.Closed, Journey, 2, 50) with { ClosureReason = ClosureReason.Withdrawn });
        Assert.Equal(ReferralStatus.Closed, referral.Status);
    }

    [Fact]
    public void A_finished_or_withdrawn_referral_cannot_be_withdrawn_again()
    {
        var closed = Apply(NewReferral(), Fact(ProgressPhase.Journey, ReferralStatus.Closed, Journey, 2, 50) with { ClosureReason = ClosureReason.GoalsMet });
        Assert.Throws<DomainRuleException>(() => WithdrawDecider.Decide(closed, new WithdrawReferral(closed.Id, "B86001", "x", "u", null), Now));
    }

    [Fact]
    public void Withdrawing_a_linked_referral_or_one_already_with_a_worker_does_not_end_the_journey()
    {
        var linked = NewReferral(linked: true);
        Assert.False(WithdrawDecider.Decide(linked, new WithdrawReferral(linked.Id, "B86001", "x", "u", null), Now).EndsJourney);

        var started = Apply(NewReferral(), Fact(ProgressPhase.Journey, ReferralStatus.JourneyOpened, Journey, 1, 10));
        Assert.False(WithdrawDecider.Decide(started, new WithdrawReferral(started.Id, "B86001", "x", "u", null), Now).EndsJourney);
    }

    [Fact]
    public void A_journey_closed_as_withdrawn_closes_the_withdrawn_referral_but_not_a_referral_still_linked_and_waiting_on_it()
    {
        var first = Apply(NewReferral(), Fact(ProgressPhase.Journey, ReferralStatus.JourneyOpened, Journey, 2, 10));
        first = WithdrawDecider.Decide(first, new WithdrawReferral(first.Id, "B86001", "Sent to the wrong service", "u", null), Now)
            .Events.Aggregate(first, (r, e) => r.Then(e));
        var linked = NewReferral(linked: true);
        var withdrawn = Fact(ProgressPhase.Journey, ReferralStatus.Closed, Journey, 3, 20) with { ClosureReason = ClosureReason.Withdrawn };

        var closed = Fold(first, ProgressDecider.Close(first, withdrawn, Now));
        Assert.Equal((ReferralStatus.Closed, ClosureReason.Withdrawn), (closed.Status, closed.ClosureReason));
        // Never withdrawn itself: it is released when the first referral's closure ends the journey, not closed as withdrawn.
        Assert.Empty(ProgressDecider.Close(linked, withdrawn, Now));

        // A journey closed after being taken on finishes its linked referrals with it.
        var goalsMet = withdrawn with { ClosureReason = ClosureReason.GoalsMet };
        Assert.Equal(ReferralStatus.Closed, Fold(linked, ProgressDecider.Close(linked, goalsMet, Now)).Status);
    }

    [Theory]
    [InlineData(ClosureReason.Withdrawn, JourneyEndReason.Withdrawn, true)]
    [InlineData(ClosureReason.GoalsMet, JourneyEndReason.Closed, false)]
    [InlineData(ClosureReason.UnableToContact, JourneyEndReason.Closed, false)]
    public void A_journey_support_plan_closed_as_withdrawn_ends_untaken_so_its_linked_referrals_are_released(
        ClosureReason closure, JourneyEndReason expected, bool releases)
    {
        var referral = Apply(NewReferral(),
            Fact(ProgressPhase.Journey, ReferralStatus.JourneyOpened, Journey, 2, 10),
            Fact(ProgressPhase.Journey, ReferralStatus.Closed, Journey, 3, 20) with { ClosureReason = closure });

        Assert.Equal(expected, ProgressDecider.JourneyEndReasonOf(referral));
        Assert.Equal(releases, ReleaseLinkedReferralsDecider.EndedUntaken(ProgressDecider.JourneyEndReasonOf(referral)!.Value));
    }

    [Theory]
    [InlineData(ConsentScope.Full, 1, 1)]
    [InlineData(ConsentScope.CodedOnly, 0, 1)]
    [InlineData(ConsentScope.None, 0, 0)]
    public void The_outcome_shown_to_the_referrer_follows_the_sharing_consent(ConsentScope scope, int connections, int changes)
    {
        var summary = new ClosingSummary("What matters", [new GoalSummary(Guid.NewGuid(), "Goal", null, "Met")],
            [new ConnectionSummary("Walking group", ConnectionKind.Signposting, ConnectionOutcome.Attended)],
            [new OutcomeChange(Instrument.Wemwbs, 40, 47, 7, true)]);

        var outcome = ProgressDecider.OutcomeFor(ClosureReason.GoalsMet, summary, scope);

        Assert.Equal(connections, outcome.Connections.Count);
        Assert.Equal(changes, outcome.OutcomeChanges.Count);
        Assert.Equal(ClosureReason.GoalsMet, outcome.Reason);
    }

    [Fact]
    public void At_closure_the_referrer_is_shown_no_more_than_the_consent_the_person_holds_then_after_withdrawing_it()
    {
        var summary = new ClosingSummary("What matters", [], [new ConnectionSummary("Leeds Women's Aid", ConnectionKind.OnwardReferral, ConnectionOutcome.Attended)],
            [new OutcomeChange(Instrument.Swemwbs, 20, 25, 5, true)]);
        var closure = Fact(ProgressPhase.Journey, ReferralStatus.Closed, Journey, 9, 90) with
        {
            ClosureReason = ClosureReason.GoalsMet, Summary = summary, SharingScope = ConsentScope.None,
        };

        var closed = Apply(NewReferral(scope: ConsentScope.Full), closure);

        Assert.Equal(ClosureReason.GoalsMet, closed.Outcome!.Reason);
        Assert.Empty(closed.Outcome.Connections);
        Assert.Empty(closed.Outcome.OutcomeChanges);
    }

    [Theory]
    [InlineData(ConsentScope.Full, null, ConsentScope.Full)]
    [InlineData(ConsentScope.Full, ConsentScope.CodedOnly, ConsentScope.CodedOnly)]
    [InlineData(ConsentScope.Full, ConsentScope.None, ConsentScope.None)]
    [InlineData(ConsentScope.CodedOnly, ConsentScope.Full, ConsentScope.CodedOnly)]
    [InlineData(ConsentScope.None, ConsentScope.Full, ConsentScope.None)]
    [InlineData(ConsentScope.None, ConsentScope.CodedOnly, ConsentScope.None)]
    public void Consent_at_closure_narrows_what_the_referrer_sees_and_never_widens_it(ConsentScope atReferral, ConsentScope? atClosure, ConsentScope shown) =>
        Assert.Equal(shown, ProgressDecider.Narrower(atReferral, atClosure));

    [Fact]
    public void Escalation_is_noted_once()
    {
        var referral = NewReferral();
        var escalated = ProgressDecider.Escalate(referral, Now, Now).Aggregate(referral, (r, e) => r.Then(e));
        Assert.True(escalated.Escalated);
        Assert.Empty(ProgressDecider.Escalate(escalated, Now, Now));
    }

    private const string EndOfChainStatement =
        "This referral shows possible risk and nobody in the link worker team acknowledged it in time. The social prescribing link " +
        "worker service is not a crisis service and cannot act on this now. The case needs your action.";

    private static ReferralEscalated EscalatedTo(Referral referral, EscalationRecipientKind kind, Guid escalationId, int step,
        string recipientId = "B86001", bool outsideRotaHours = false) =>
        new(escalationId, referral.Id, referral.JourneyId, referral.PersonId, referral.ProgrammeId, step, kind, recipientId,
            ["Risk of harm to self"], null, outsideRotaHours, EndOfChainStatement, Now.AddMinutes(step * 15));

    private static Referral Fold(Referral referral, IEnumerable<object> events) => events.Aggregate(referral, (r, e) => r.Then(e));

    [Fact]
    public void A_referrer_escalation_notice_is_recorded_once_per_escalation_and_step()
    {
        var referral = NewReferral();
        var escalationId = Guid.NewGuid();
        var message = EscalatedTo(referral, EscalationRecipientKind.Referrer, escalationId, 3);

        var first = ProgressDecider.Escalation(referral, message, Now);
        var notice = Assert.Single(first.OfType<EscalationNoticeReceived>());
        Assert.Equal((escalationId, 3, EndOfChainStatement), (notice.EscalationId, notice.Step, notice.Statement));
        var recorded = Fold(referral, first);

        Assert.Empty(ProgressDecider.Escalation(recorded, message, Now)); // redelivered: nothing more
        var shown = Assert.Single(recorded.EscalationNotices);
        Assert.Equal(new EscalationNotice(escalationId, 3, EndOfChainStatement, false, null, message.EscalatedAt), shown);
        Assert.True(recorded.Escalated);
    }

    [Theory]
    [InlineData(EscalationRecipientKind.DutyWorker)]
    [InlineData(EscalationRecipientKind.TeamLead)]
    [InlineData(EscalationRecipientKind.RegisteredPractice)]
    public void An_escalation_addressed_to_anyone_but_the_referrer_sets_the_flag_and_records_no_notice(EscalationRecipientKind kind)
    {
        var referral = NewReferral();

        var events = ProgressDecider.Escalation(referral, EscalatedTo(referral, kind, Guid.NewGuid(), 2, recipientId: "someone-else"), Now);

        Assert.IsType<ReferralEscalationNoted>(Assert.Single(events));
        Assert.Empty(Fold(referral, events).EscalationNotices);
    }

    [Fact]
    public void A_later_steps_notice_is_recorded_although_the_referral_is_already_escalated()
    {
        var referral = NewReferral();
        var escalationId = Guid.NewGuid();
        var step1 = Fold(referral, ProgressDecider.Escalation(referral,
            EscalatedTo(referral, EscalationRecipientKind.Referrer, escalationId, 1), Now));
        var dutyWorker = Fold(step1, ProgressDecider.Escalation(step1,
            EscalatedTo(step1, EscalationRecipientKind.DutyWorker, escalationId, 1, recipientId: "lw-1"), Now));
        Assert.True(dutyWorker.Escalated);

        var step3 = ProgressDecider.Escalation(dutyWorker, EscalatedTo(dutyWorker, EscalationRecipientKind.Referrer, escalationId, 3), Now);

        var notice = Assert.Single(step3); // the flag is not noted again
        Assert.Equal(3, Assert.IsType<EscalationNoticeReceived>(notice).Step);
        Assert.Equal([1, 3], Fold(dutyWorker, step3).EscalationNotices.Select(n => n.Step));
    }

    [Fact]
    public void A_referrer_notice_naming_another_organisation_is_still_recorded_on_the_referral()
    {
        var referral = NewReferral();

        var events = ProgressDecider.Escalation(referral,
            EscalatedTo(referral, EscalationRecipientKind.Referrer, Guid.NewGuid(), 1, recipientId: "Y99999", outsideRotaHours: true), Now);

        var notice = Assert.Single(Fold(referral, events).EscalationNotices);
        Assert.True(notice.OutsideRotaHours);
    }
}
