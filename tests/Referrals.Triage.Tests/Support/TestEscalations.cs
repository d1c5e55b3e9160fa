using Referrals.Triage.Escalating;

namespace Referrals.Triage.Tests.Support;

/// <summary>Escalations as folded from their events, for pure tests of the rules that read them.</summary>
public static class TestEscalations
{
    /// <summary>The escalation the events make, the first being its <see cref="EscalationOpened"/>.</summary>
    public static Escalation Fold(IEnumerable<object> events) =>
        events.Skip(1).Aggregate(Escalation.Create((EscalationOpened)events.First()), (e, next) => next switch
        {
            EscalationStepReached r => e.Apply(r),
            EscalationReplannedAfterRotaClosed p => e.Apply(p),
            EscalationReplannedAtDutyHandover h => e.Apply(h),
            EscalationRepeatRoundPlanned r => e.Apply(r),
            EscalationAcknowledgementRecorded a => e.Apply(a),
            _ => e,
        });
}
