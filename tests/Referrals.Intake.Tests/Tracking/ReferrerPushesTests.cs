using Referrals.Contracts;
using Referrals.Contracts.Triage;
using Referrals.Intake.Referrals;
using Referrals.Intake.Submitting;
using Referrals.Intake.Tracking;

namespace Referrals.Intake.Tests.Tracking;

public sealed class ReferrerPushesTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private const string Statement = "The social prescribing link worker service is not a crisis service. The case needs your action.";

    private static Referral NewReferral(long version) => Referral.Create(new ReferralReceived(
        Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), null, false, "north-leeds", "B86001",
        new Referrer(ReferrerKind.GpPractice, "B86001", "Dr Shah", "GP", null), ReferralChannel.Api, null, 68, "LS7", true, false,
        [NeedCategory.Housing], null, null, new RiskAnswers(false, false, false, false), null, Urgency.Routine,
        new ConsentRecord(ConsentAuthority.Person, "A", Now, "B", ConsentScope.Full), ConsentScope.Full, Now)) with { Version = version };

    private static ReferralEscalated EscalatedTo(Referral referral, EscalationRecipientKind kind, Guid escalationId, int step) =>
        new(escalationId, referral.Id, referral.JourneyId, referral.PersonId, referral.ProgrammeId, step, kind, "B86001",
            ["Risk of harm to self"], null, false, Statement, Now.AddMinutes(step * 15));

    private static Referral Fold(Referral referral, IReadOnlyList<object> events) =>
        events.Aggregate(referral, (r, e) => r.Then(e)) with { Version = referral.Version + events.Count };

    [Fact]
    public void The_first_escalation_message_for_the_referrer_pushes_the_flag_and_the_notice_each_with_its_own_version()
    {
        var referral = NewReferral(version: 5);
        var events = ProgressDecider.Escalation(referral, EscalatedTo(referral, EscalationRecipientKind.Referrer, Guid.NewGuid(), 1), Now);
        Assert.Equal(2, events.Count); // the flag and the notice, recorded together

        var pushes = ReferrerPushes.Plan(referral, events, referral.Version);

        Assert.Equal([6L, 7L], pushes.Select(p => p.Sequence));
        Assert.Null(pushes[0].Notice); // the status change: escalated became true
        Assert.True(pushes[0].Referral.Escalated);
        Assert.Equal(1, pushes[1].Notice!.Step);
        Assert.True(pushes[1].Referral.Escalated);
        Assert.Equal(referral.Id, Assert.Single(pushes.Select(p => p.Referral.Id).Distinct()));
    }

    [Fact]
    public void A_later_steps_notice_on_an_escalated_referral_is_pushed_alone_at_the_version_that_recorded_it()
    {
        var referral = NewReferral(version: 3);
        var escalationId = Guid.NewGuid();
        var step1 = Fold(referral, ProgressDecider.Escalation(referral, EscalatedTo(referral, EscalationRecipientKind.Referrer, escalationId, 1), Now));

        var events = ProgressDecider.Escalation(step1, EscalatedTo(step1, EscalationRecipientKind.Referrer, escalationId, 3), Now);
        var push = Assert.Single(ReferrerPushes.Plan(step1, events, step1.Version));

        Assert.Equal(6, push.Sequence);
        Assert.Equal(3, push.Notice!.Step);
    }

    [Fact]
    public void An_escalation_message_to_the_duty_worker_pushes_only_the_status_change()
    {
        var referral = NewReferral(version: 2);
        var events = ProgressDecider.Escalation(referral, EscalatedTo(referral, EscalationRecipientKind.DutyWorker, Guid.NewGuid(), 1), Now);

        var push = Assert.Single(ReferrerPushes.Plan(referral, events, referral.Version));

        Assert.Null(push.Notice);
        Assert.Equal(3, push.Sequence);
        Assert.True(push.Referral.Escalated);
    }

    [Fact]
    public void A_status_change_is_pushed_at_the_version_of_the_event_that_made_it_with_the_status_it_made()
    {
        var referral = NewReferral(version: 1);
        var events = ProgressDecider.Record(referral,
            new ProgressFact(ProgressPhase.Triage, ReferralStatus.Assigned, new EventSource(Guid.NewGuid(), 3), Now), Now);

        var push = Assert.Single(ReferrerPushes.Plan(referral, events, referral.Version));

        Assert.Equal(2, push.Sequence);
        Assert.Equal(ReferralStatus.Assigned, push.Referral.Status);
        Assert.Null(push.Notice);
    }

    [Fact]
    public void Events_that_change_nothing_the_referrer_is_pushed_push_nothing()
    {
        var referral = NewReferral(version: 4);

        Assert.Empty(ReferrerPushes.Plan(referral, ProgressDecider.IdentifyJourney(referral, Guid.NewGuid(), Now), referral.Version));
    }
}
