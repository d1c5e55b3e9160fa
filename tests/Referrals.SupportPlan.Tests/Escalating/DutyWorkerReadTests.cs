using System.Security.Claims;
using Referrals.Contracts;
using Referrals.Contracts.Triage;
using Referrals.ServiceDefaults.Auth;
using Referrals.SupportPlan.Escalating;
using Referrals.SupportPlan.Journeys;
using Referrals.SupportPlan.LinkingReferrals;
using Referrals.SupportPlan.Registering;
using Referrals.SupportPlan.Tests.Support;

namespace Referrals.SupportPlan.Tests.Escalating;

/// <summary>The duty worker's read of the journey behind an escalation they are asked about (HAZ-001 C15): pure rules.</summary>
public sealed class DutyWorkerReadTests
{
    private const string Duty = "lw-duty";
    private static readonly TimeSpan Period = TimeSpan.FromDays(7);

    private static ReferralEscalated Escalated(Guid referralId, Guid escalationId, string recipient = Duty,
        EscalationRecipientKind kind = EscalationRecipientKind.DutyWorker, int step = 1, string programme = TestJourneys.Programme) =>
        new(escalationId, referralId, Guid.NewGuid(), Guid.NewGuid(), programme, step, kind, recipient, ["Financial abuse"],
            TestJourneys.Now.AddMinutes(15), false, "Escalated to the duty worker", TestJourneys.Now.AddMinutes(-2));

    private static ClaimsPrincipal LinkWorker(string workerId, string programme = TestJourneys.Programme) => new(new ClaimsIdentity(
        [new Claim(ReferralsClaims.Role, Roles.LinkWorker), new Claim(ReferralsClaims.LinkWorkerId, workerId), new Claim(ReferralsClaims.Programme, programme)],
        "test", ReferralsClaims.Name, ReferralsClaims.Role));

    /// <summary>The grant the duty worker holds once asked about an escalation of <paramref name="referralId"/> at <paramref name="askedAt"/>.</summary>
    private static DutyReadGrant Asked(Guid referralId, DateTimeOffset askedAt, string recipient = Duty, string programme = TestJourneys.Programme)
    {
        var asked = DutyWorkerReads.Ask(null, Escalated(referralId, Guid.NewGuid(), recipient, programme: programme), askedAt);
        return Fold.Apply<DutyReadGrant>(null, asked)!;
    }

    [Fact]
    public void A_duty_worker_asked_about_an_escalation_is_recorded_once_per_escalation_even_without_triages_tier_priority_or_version()
    {
        var referralId = Guid.NewGuid();
        var escalationId = Guid.NewGuid();
        var first = Escalated(referralId, escalationId);
        Assert.Null(first.RequiredTier);

        var asked = Assert.IsType<DutyWorkerAsked>(Assert.Single(DutyWorkerReads.Ask(null, first, TestJourneys.Now)));
        Assert.Equal((DutyWorkerReads.GrantIdFor(escalationId, Duty), escalationId, referralId, Duty, TestJourneys.Programme, TestJourneys.Now),
            (asked.GrantId, asked.EscalationId, asked.ReferralId, asked.LinkWorkerId, asked.ProgrammeId, asked.AskedAt));

        // Asked again about the same escalation (a redelivery, a later round): the stream holds the grant, nothing is added.
        var grant = Fold.Apply<DutyReadGrant>(null, [asked])!;
        Assert.Empty(DutyWorkerReads.Ask(grant, Escalated(referralId, escalationId, step: 3), TestJourneys.Now.AddMinutes(30)));
        Assert.Equal(TestJourneys.Now, Fold.Apply(grant, [asked with { AskedAt = TestJourneys.Now.AddHours(1) }])!.AskedAt);

        // One stream per (escalation, worker): another worker or another escalation has its own.
        Assert.NotEqual(DutyWorkerReads.GrantIdFor(escalationId, Duty), DutyWorkerReads.GrantIdFor(escalationId, "lw-other"));
        Assert.NotEqual(DutyWorkerReads.GrantIdFor(escalationId, Duty), DutyWorkerReads.GrantIdFor(Guid.NewGuid(), Duty));
    }

    [Theory]
    [InlineData(EscalationRecipientKind.TeamLead)]
    [InlineData(EscalationRecipientKind.RegisteredPractice)]
    [InlineData(EscalationRecipientKind.Referrer)]
    public void Only_a_duty_worker_recipient_is_granted_a_read(EscalationRecipientKind kind) =>
        Assert.Empty(DutyWorkerReads.Ask(null, Escalated(Guid.NewGuid(), Guid.NewGuid(), "tl-1", kind), TestJourneys.Now));

    [Fact]
    public void The_duty_worker_asked_reads_the_journey_of_the_referral_for_the_period_with_the_escalation_as_the_basis_and_never_writes_it()
    {
        var journey = TestJourneys.Opened();
        var grant = Asked(journey.Referral.ReferralId, TestJourneys.Now);
        var duty = LinkWorker(Duty);

        var read = JourneyAccess.EvaluateRead(duty, journey, [grant], TestJourneys.Now.AddMinutes(1), Period);
        Assert.True(read.Allowed);
        Assert.Equal($"duty worker asked about escalation {grant.EscalationId}", read.Basis);
        Assert.True(JourneyAccess.EvaluateRead(duty, journey, [grant], TestJourneys.Now + Period - TimeSpan.FromSeconds(1), Period).Allowed);

        // Writes never look at grants; the period ends the read.
        Assert.False(JourneyAccess.Evaluate(duty, journey).Allowed);
        Assert.False(JourneyAccess.EvaluateRead(duty, journey, [grant], TestJourneys.Now + Period, Period).Allowed);
        Assert.False(JourneyAccess.EvaluateRead(duty, journey, [grant], TestJourneys.Now.AddDays(30), Period).Allowed);
    }

    [Fact]
    public void A_notice_consumed_long_after_triages_step_does_not_open_a_fresh_period()
    {
        var journey = TestJourneys.Opened();
        var duty = LinkWorker(Duty);

        // Triage's step at Now - 2 minutes (Escalated's time); heard of 30 minutes later: the full period from the hearing.
        var prompt = Asked(journey.Referral.ReferralId, TestJourneys.Now.AddMinutes(30));
        Assert.True(JourneyAccess.EvaluateRead(duty, journey, [prompt], TestJourneys.Now.AddMinutes(29) + Period, Period).Allowed);

        // Heard of 8 days later (replayed from an error queue): the period ran from the step (and its allowance), so it is over.
        var late = Asked(journey.Referral.ReferralId, TestJourneys.Now.AddDays(8));
        Assert.False(JourneyAccess.EvaluateRead(duty, journey, [late], TestJourneys.Now.AddDays(8).AddMinutes(1), Period).Allowed);

        // Heard of 3 days late: readable until the step's time plus the allowance plus the period, not 7 days from the hearing.
        var delayed = Asked(journey.Referral.ReferralId, TestJourneys.Now.AddDays(3));
        var end = TestJourneys.Now.AddMinutes(-2) + DutyWorkerReads.LateNoticeAllowance + Period;
        Assert.True(JourneyAccess.EvaluateRead(duty, journey, [delayed], end.AddSeconds(-1), Period).Allowed);
        Assert.False(JourneyAccess.EvaluateRead(duty, journey, [delayed], end, Period).Allowed);
    }

    [Fact]
    public void A_grant_reads_only_its_workers_journey_of_its_referral_in_its_programme()
    {
        var journey = TestJourneys.Opened();
        var grant = Asked(journey.Referral.ReferralId, TestJourneys.Now);
        var at = TestJourneys.Now.AddMinutes(1);

        Assert.False(JourneyAccess.EvaluateRead(LinkWorker("lw-other"), journey, [grant], at, Period).Allowed);
        Assert.False(JourneyAccess.EvaluateRead(LinkWorker(Duty), TestJourneys.Opened(), [grant], at, Period).Allowed);
        Assert.False(JourneyAccess.EvaluateRead(LinkWorker(Duty), journey, [Asked(journey.Referral.ReferralId, TestJourneys.Now, programme: "prog-york")], at,
            Period).Allowed);
        Assert.False(JourneyAccess.EvaluateRead(LinkWorker(Duty, "prog-york"), journey, [grant], at, Period).Allowed);
        Assert.False(JourneyAccess.EvaluateRead(LinkWorker(Duty), journey, [], at, Period).Allowed);
    }

    [Fact]
    public void A_grant_recorded_before_the_journey_exists_reads_it_once_registered_and_a_further_referrals_grant_reads_the_journey_it_joined()
    {
        var early = Asked(Guid.NewGuid(), TestJourneys.Now);
        var registered = TestJourneys.Apply(null, new JourneyRegistered(Guid.NewGuid(), Guid.NewGuid(), TestJourneys.Programme,
            TestJourneys.Facts(early.ReferralId), null, "what matters", false, TestJourneys.Now.AddMinutes(5)));
        Assert.True(JourneyAccess.EvaluateRead(LinkWorker(Duty), registered, [early], TestJourneys.Now.AddMinutes(6), Period).Allowed);

        var further = Guid.NewGuid();
        var joined = TestJourneys.Apply(TestJourneys.Opened(), new FurtherReferralReceived(Guid.Empty, Guid.Empty, further,
            new Referrer(ReferrerKind.GpPractice, "B82005", null, null, null), Urgency.Urgent, [NeedCategory.LonelinessOrIsolation], null, false,
            "reason", null, null, TestJourneys.Now, TestJourneys.Now));
        Assert.True(JourneyAccess.EvaluateRead(LinkWorker(Duty), joined, [Asked(further, TestJourneys.Now)], TestJourneys.Now.AddMinutes(1), Period).Allowed);
        Assert.Contains(further.ToString(), DutyWorkerReads.ReferralIdsOf(joined));
    }
}
