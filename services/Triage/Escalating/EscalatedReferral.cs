using Referrals.EventStore;
using Referrals.Triage.Assigning;
using Referrals.Triage.Programmes;
using Referrals.Triage.Referrals;
using Referrals.Triage.ServiceLevels;
using Referrals.Triage.Triaging;

namespace Referrals.Triage.Escalating;

/// <summary>
/// What an escalation opened after triage (a worker's concern, a risk reported on a linked referral) does to the referral
/// it is about, as triage's own escalation does: urgent, the tier escalations need, and out of the routine order.
/// </summary>
public static class EscalatedReferral
{
    /// <summary>
    /// What the escalation records on the referral: urgent, and waiting for a worker or offered and not yet accepted, the tier
    /// escalations need (as at triage); an accepted referral keeps its tier and stays with the worker who has started the
    /// journey. Nothing if it is not waiting and already escalated, urgent and at that tier (a repeated risk adds no event).
    /// An escalated referral a team lead has since lowered is escalated again: their judgement predates the new risk (HAZ-001).
    /// </summary>
    public static ReferralEscalationRaised? Raise(Referral referral, Guid escalationId, DateTimeOffset now)
    {
        var reallocate = referral.IsWaiting || referral.Status == ReferralStatus.Offered;
        var tier = reallocate && referral.RequiredTier < Contracts.Tier.PsychosocialLinkWorker
            ? Contracts.Tier.PsychosocialLinkWorker
            : referral.RequiredTier;
        if (referral is { Escalated: true, IsWaiting: false, Priority: Contracts.Priority.Urgent } && tier == referral.RequiredTier)
        {
            return null;
        }

        return new ReferralEscalationRaised(referral.Id, escalationId, tier, now);
    }

    /// <summary>
    /// The referral's tier and priority once <see cref="Raise"/>'s event is on its stream, and that stream version (the
    /// allocation that may follow in the same transaction changes neither), for the escalation's notices to carry.
    /// </summary>
    public static EscalatedReferralState StandingAfter(Referral referral, Guid escalationId, DateTimeOffset now)
    {
        var (after, version) = Raise(referral, escalationId, now) is { } raised
            ? (referral.Apply(raised), referral.Version + 1)
            : (referral, referral.Version);
        return new EscalatedReferralState(after.RequiredTier, after.Priority, version);
    }

    /// <summary>
    /// Records the escalation on the referral (unless <see cref="Raise"/> finds nothing new). A referral waiting for a
    /// worker leaves the routine queue and is allocated at once as escalated; one offered below the tier now required has
    /// its offer ended and is allocated again; an accepted one stays with the worker who has started the journey. Runs under
    /// the programme lock the caller holds, in the caller's transaction.
    /// </summary>
    public static async Task TakeOutOfRoutineOrderAsync(IDocumentSession session, ReferralChanges referrals, Referral referral,
        Guid escalationId, Programme? programme, AllocationService allocation, string actor, DateTimeOffset now, CancellationToken ct)
    {
        if (Raise(referral, escalationId, now) is not { } raised)
        {
            return;
        }

        var current = referrals.Append(referral.Id, raised);
        if (programme is not null && current.Priority != referral.Priority && current is { Eligible: true, FirstContactAt: null }
            && current.Status is not (ReferralStatus.Withdrawn or ReferralStatus.Closed))
        {
            // Now urgent and nobody has reached the person yet: first contact is due at the urgent target, as after an
            // override (the clock cancels the routine timer; its due date no longer matches, so it could not breach anyway).
            ServiceLevelClock.Start(session, referrals, current, programme, now);
        }

        // An open offer below the tier now required ends and the referral is allocated again as escalated, in this
        // transaction and under the programme lock (a lower-tier worker must not be left holding it).
        var offerBelowTier = false;
        if (programme is not null
            && current is { Status: ReferralStatus.Offered, AssignedWorkerTier: { } held, AssignmentId: { } offered, AssignedWorkerId: { } worker }
            && held < current.RequiredTier)
        {
            referrals.Append(current.Id, new AssignmentEnded(current.Id, current.PersonId, offered, programme.ProgrammeId, worker,
                AssignmentEndReason.EscalatedAboveWorkerTier, null, false, actor, now));
            offerBelowTier = true;
        }

        if (programme is not null && (referral.IsWaiting || offerBelowTier))
        {
            var again = (await referrals.GetAsync(current.Id, ct))!;
            await allocation.AllocateAsync(session, referrals, programme,
                [new AllocationCandidate(again.Id, again.QueueNeeds(), Escalated: true, Waiting: false)], actor, ct);
        }
    }
}
