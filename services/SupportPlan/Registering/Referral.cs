using Referrals.SupportPlan.Escalating;
using Referrals.SupportPlan.Overriding;

namespace Referrals.SupportPlan.Registering;

/// <summary>
/// What support-plan knows about one referral (the referral stream's aggregate): the facts heard so far, from whichever
/// queue delivered them first, and which of them have been applied to the journey.
/// </summary>
public sealed record Referral
{
    public Guid Id { get; init; }

    public Guid PersonId { get; init; }

    public ReferralReceived? Submission { get; init; }

    public TriageReceived? Triage { get; init; }

    public AssignmentAcceptanceReceived? Acceptance { get; init; }

    public WithdrawalReceived? Withdrawal { get; init; }

    /// <summary>A team lead's latest override of triage's tier and priority, and whether it has been taken to the journey.</summary>
    public TriageOverrideReceived? Override { get; init; }

    public bool OverrideApplied { get; init; }

    /// <summary>Triage's latest escalation of the referral after its decision, and whether it has been taken to the journey.</summary>
    public EscalationReceived? Escalation { get; init; }

    public bool EscalationApplied { get; init; }

    /// <summary>The journey the referral was recorded against (support-plan's decision: new or reopened).</summary>
    public Guid? JourneyId { get; init; }

    public bool Reopened { get; init; }

    public Guid? AppliedAssignmentId { get; init; }

    public bool WithdrawalApplied { get; init; }

    public long? AppliedTriageVersion { get; init; }

    public static Referral Create(ReferralReceived e) => new Referral { Id = e.ReferralId, PersonId = e.PersonId }.Apply(e);

    public static Referral Create(TriageReceived e) => new Referral { Id = e.ReferralId, PersonId = e.PersonId }.Apply(e);

    public static Referral Create(AssignmentAcceptanceReceived e) => new Referral { Id = e.ReferralId, PersonId = e.PersonId }.Apply(e);

    public static Referral Create(WithdrawalReceived e) => new Referral { Id = e.ReferralId, PersonId = e.PersonId }.Apply(e);

    public static Referral Create(TriageOverrideReceived e) => new Referral { Id = e.ReferralId, PersonId = e.PersonId }.Apply(e);

    public static Referral Create(EscalationReceived e) => new Referral { Id = e.ReferralId, PersonId = e.PersonId }.Apply(e);

    public Referral Apply(ReferralReceived e) => this with { Submission = e };

    public Referral Apply(TriageReceived e) => this with { Triage = e };

    public Referral Apply(AssignmentAcceptanceReceived e) => this with { Acceptance = e };

    public Referral Apply(WithdrawalReceived e) => this with { Withdrawal = e };

    public Referral Apply(TriageOverrideReceived e) => this with { Override = e, OverrideApplied = false };

    public Referral Apply(TriageOverrideApplied e) => this with { OverrideApplied = true };

    public Referral Apply(EscalationReceived e) => this with { Escalation = e, EscalationApplied = false };

    public Referral Apply(EscalationApplied e) => this with { EscalationApplied = true };

    public Referral Apply(ReferralLinkedToJourney e) => this with { JourneyId = e.JourneyId, Reopened = e.Reopened, AppliedTriageVersion = Triage?.SourceVersion };

    public Referral Apply(AssignmentAcceptanceApplied e) => this with { AppliedAssignmentId = e.AssignmentId };

    public Referral Apply(WithdrawalApplied e) => this with { WithdrawalApplied = true };

    public Referral Apply(RetriageApplied e) => this with { AppliedTriageVersion = e.SourceVersion };
}

/// <summary>The referralId → journeyId map (inline projection of the referral stream), so later messages about a referral find its journey.</summary>
public sealed record ReferralJourneyLink
{
    public Guid Id { get; init; }

    public Guid JourneyId { get; init; }

    public Guid PersonId { get; init; }

    public bool Reopened { get; init; }

    public static ReferralJourneyLink Create(ReferralLinkedToJourney e) => new()
    {
        Id = e.ReferralId,
        JourneyId = e.JourneyId,
        PersonId = e.PersonId,
        Reopened = e.Reopened,
    };
}
