using Referrals.Contracts;
using Referrals.Triage.Assigning;
using Referrals.Triage.Escalating;
using Referrals.Triage.Referrals;
using Referrals.Triage.Tests.Support;
using Referrals.Triage.Triaging;
using Referrals.Triage.Worklists;

namespace Referrals.Triage.Tests.Escalating;

/// <summary>
/// What an escalation raised after triage records on its referral (HAZ-001), decided from the referral as folded from its
/// events: a new risk after a team lead lowered an escalated referral makes it urgent again; a repeated one adds nothing.
/// </summary>
public sealed class EscalatedReferralTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid ReferralId = Guid.NewGuid();
    private static readonly Guid PersonId = Guid.NewGuid();
    private static readonly Guid AssignmentId = Guid.NewGuid();

    /// <summary>Escalated (urgent, for a Psychosocial Link Worker) and offered to one, at version 6 of its stream.</summary>
    private static Referral EscalatedAndOffered() =>
        TestReferrals.Offered(ReferralId, PersonId, AssignmentId, At, "sos-3", Tier.PsychosocialLinkWorker, Priority.Urgent, NeedCategory.MentalWellbeing)
            with { Version = 6, Escalated = true };

    private static Referral Accepted(Referral offered) =>
        offered.Evolve(new AssignmentAcceptedByWorker(ReferralId, PersonId, AssignmentId, "sos", "sos-3", Guid.NewGuid(), null, At));

    private static Referral LoweredByATeamLead(Referral referral, Tier tier, Priority priority) =>
        referral.Evolve(new TriageDecisionOverridden(ReferralId, PersonId, tier, priority, null, "Spoke to her daughter; she is safe now.",
            "tl-lead", At.AddHours(1))) with { Version = referral.Version + 1 };

    [Fact]
    public void A_new_risk_after_a_team_lead_lowered_an_escalated_referrals_priority_makes_it_urgent_again_and_a_further_one_records_nothing()
    {
        var lowered = LoweredByATeamLead(EscalatedAndOffered(), Tier.PsychosocialLinkWorker, Priority.Routine);
        var escalationId = Guid.NewGuid();

        var raised = EscalatedReferral.Raise(lowered, escalationId, At.AddHours(2));

        Assert.Equal(new ReferralEscalationRaised(ReferralId, escalationId, Tier.PsychosocialLinkWorker, At.AddHours(2)), raised);
        // The notices carry what the escalation made of it, later on triage's stream than the team lead's override (7).
        Assert.Equal(new EscalatedReferralState(Tier.PsychosocialLinkWorker, Priority.Urgent, 8),
            EscalatedReferral.StandingAfter(lowered, escalationId, At.AddHours(2)));

        // Escalated and urgent again (offered or accepted): a further risk has its own duty chain, nothing more on the referral.
        var urgentAgain = lowered.Evolve(raised!) with { Version = 8 };
        Assert.Null(EscalatedReferral.Raise(urgentAgain, Guid.NewGuid(), At.AddHours(3)));
        Assert.Null(EscalatedReferral.Raise(Accepted(urgentAgain), Guid.NewGuid(), At.AddHours(3)));
        Assert.Equal(new EscalatedReferralState(Tier.PsychosocialLinkWorker, Priority.Urgent, 8),
            EscalatedReferral.StandingAfter(urgentAgain, Guid.NewGuid(), At.AddHours(3)));
    }

    [Fact]
    public void A_new_risk_after_a_team_lead_lowered_the_tier_of_an_escalated_offered_referral_raises_it_to_the_tier_escalations_need_again()
    {
        // Urgent still, but for a Link Worker: an offer below what escalations need must not stand (as at triage).
        var lowered = LoweredByATeamLead(EscalatedAndOffered(), Tier.LinkWorker, Priority.Urgent);

        var raised = EscalatedReferral.Raise(lowered, Guid.NewGuid(), At);

        Assert.Equal(Tier.PsychosocialLinkWorker, raised?.RequiredTier);
    }

    [Fact]
    public void A_new_risk_after_a_team_lead_lowered_an_escalated_accepted_referral_makes_it_urgent_again_and_it_keeps_its_tier()
    {
        var accepted = Accepted(EscalatedAndOffered());

        // Lowered in tier and priority: urgent again, at the tier the team lead set (the worker who started the journey keeps it).
        var lowered = LoweredByATeamLead(accepted, Tier.LinkWorkerCoach, Priority.High);
        Assert.Equal(new EscalatedReferralState(Tier.LinkWorkerCoach, Priority.Urgent, 8), EscalatedReferral.StandingAfter(lowered, Guid.NewGuid(), At));

        // Lowered in tier only: still urgent, so nothing to record.
        Assert.Null(EscalatedReferral.Raise(LoweredByATeamLead(accepted, Tier.LinkWorkerCoach, Priority.Urgent), Guid.NewGuid(), At));
    }
}
