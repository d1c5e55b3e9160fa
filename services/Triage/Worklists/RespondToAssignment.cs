using Referrals.Contracts.Triage;
using Referrals.EventStore;
using Referrals.ServiceDefaults.Problems;
using Referrals.ServiceDefaults.Telemetry;
using Referrals.Triage.Assigning;
using Referrals.Triage.Common;
using Referrals.Triage.Programmes;
using Referrals.Triage.Referrals;

namespace Referrals.Triage.Worklists;

/// <summary>
/// A worker's response to an assignment (not the person's decision about social prescribing, which support-plan records at
/// first contact). Each runs under the programme lock, so of two concurrent accepts exactly one succeeds; the other finds
/// the assignment taken (409), or a stale If-Match version (412).
/// </summary>
public sealed class RespondToAssignment(IDocumentStore store, TimeProvider clock, AllocationService allocation)
{
    /// <summary>
    /// Accepts an open offer. The assigned worker accepts their own; another active worker of the programme who could take
    /// it (tier, practice, capacity) may accept it instead, taking it over (e.g. covering for an absent colleague).
    /// </summary>
    public Task<CommandResult<Referral>> AcceptAsync(Guid assignmentId, string linkWorkerId, IReadOnlyList<string> programmes,
        long? expectedVersion, CancellationToken ct) =>
        RunAsync(assignmentId, programmes, expectedVersion, ct, async (session, referrals, programme, referral, now) =>
        {
            if (referral.Status == ReferralStatus.Accepted)
            {
                throw new DomainRuleException($"The assignment was already accepted by {referral.AssignedWorkerId}.");
            }

            if (referral.Status != ReferralStatus.Offered)
            {
                throw new DomainRuleException("The assignment is no longer open.");
            }

            if (referral.AssignedWorkerId != linkWorkerId)
            {
                var worker = await CapacityCheck.EnsureCanTakeAsync(session, programme, referral, linkWorkerId, requireCoverage: true, now, ct);
                var needs = referral.QueueNeeds();
                referrals.Append(referral.Id,
                    new AssignmentEnded(referral.Id, referral.PersonId, assignmentId, programme.ProgrammeId, referral.AssignedWorkerId!,
                        AssignmentEndReason.TakenOver, null, false, linkWorkerId, now),
                    new WorkerAssigned(referral.Id, referral.PersonId, assignmentId, programme.ProgrammeId, linkWorkerId, worker.Tier, needs,
                        referral.Escalated, false, false, [$"Taken over by {linkWorkerId}, who accepted it."], (int)programme.Version, linkWorkerId, now));
                session.Outbox.Publish(new ReferralAssigned(assignmentId, referral.Id, JourneyOf(referral), referral.PersonId, programme.ProgrammeId,
                    linkWorkerId, worker.Tier, now), referral.Id);
            }

            var accepted = referrals.Append(referral.Id, new AssignmentAcceptedByWorker(referral.Id, referral.PersonId, assignmentId,
                programme.ProgrammeId, linkWorkerId, referral.JourneyId, referral.RegisteredJourneyId, now));
            session.Outbox.Publish(new AssignmentAccepted(assignmentId, referral.Id, JourneyOf(referral), referral.PersonId,
                referral.PreviousJourneyId, programme.ProgrammeId, linkWorkerId, now), referral.Id);
            ReferralsTelemetry.TimeToAcceptance.Record(Math.Max(0, (now - referral.SubmittedAt).TotalSeconds));
            return accepted;
        });

    /// <summary>The assigned worker declines an open offer, with a reason; it is offered to someone else or queued.</summary>
    public Task<CommandResult<Referral>> DeclineAsync(Guid assignmentId, string linkWorkerId, IReadOnlyList<string> programmes, string reason,
        long? expectedVersion, CancellationToken ct) =>
        RunAsync(assignmentId, programmes, expectedVersion, ct, async (session, referrals, programme, referral, now) =>
        {
            EnsureAssignee(referral, linkWorkerId);
            if (referral.Status != ReferralStatus.Offered)
            {
                throw new DomainRuleException("Only an offer not yet accepted can be declined; hand back an accepted one.");
            }

            referrals.Append(referral.Id, new AssignmentEnded(referral.Id, referral.PersonId, assignmentId, programme.ProgrammeId, linkWorkerId,
                AssignmentEndReason.Declined, reason, false, linkWorkerId, now));
            session.Outbox.Publish(new AssignmentDeclined(assignmentId, referral.Id, JourneyOf(referral), referral.PersonId, linkWorkerId,
                reason, now), referral.Id);
            return await ReallocateAsync(session, referrals, programme, referral.Id, linkWorkerId, ct);
        });

    /// <summary>The assigned worker hands the referral back (offered or accepted), with a reason; it goes to someone else or the queue.</summary>
    public Task<CommandResult<Referral>> HandBackAsync(Guid assignmentId, string linkWorkerId, IReadOnlyList<string> programmes, string reason,
        long? expectedVersion, CancellationToken ct) =>
        RunAsync(assignmentId, programmes, expectedVersion, ct, async (session, referrals, programme, referral, now) =>
        {
            EnsureAssignee(referral, linkWorkerId);
            referrals.Append(referral.Id, new AssignmentEnded(referral.Id, referral.PersonId, assignmentId, programme.ProgrammeId, linkWorkerId,
                AssignmentEndReason.HandedBack, reason, referral.Status == ReferralStatus.Accepted, linkWorkerId, now));
            session.Outbox.Publish(new AssignmentHandedBack(assignmentId, referral.Id, JourneyOf(referral), referral.PersonId, linkWorkerId,
                reason, now), referral.Id);
            return await ReallocateAsync(session, referrals, programme, referral.Id, linkWorkerId, ct);
        });

    private async Task<Referral> ReallocateAsync(IDocumentSession session, ReferralChanges referrals, Programme programme, Guid referralId,
        string actor, CancellationToken ct)
    {
        var current = (await referrals.GetAsync(referralId, ct))!;
        await allocation.AllocateAsync(session, referrals, programme,
            [new AllocationCandidate(current.Id, current.QueueNeeds(), current.Escalated, Waiting: false)], actor, ct);
        return (await referrals.GetAsync(referralId, ct))!;
    }

    private Task<CommandResult<Referral>> RunAsync(Guid assignmentId, IReadOnlyList<string> programmes, long? expectedVersion,
        CancellationToken ct, Func<IDocumentSession, ReferralChanges, Programme, Referral, DateTimeOffset, Task<Referral>> respond) =>
        RetryWithoutIfMatch.RunAsync(expectedVersion, () => RunOnceAsync(assignmentId, programmes, expectedVersion, ct, respond));

    private async Task<CommandResult<Referral>> RunOnceAsync(Guid assignmentId, IReadOnlyList<string> programmes, long? expectedVersion,
        CancellationToken ct, Func<IDocumentSession, ReferralChanges, Programme, Referral, DateTimeOffset, Task<Referral>> respond)
    {
        await using var session = store.LightweightSession();
        var found = (await session.QueryAsync<Referral>("data->>'assignmentId' = ?", [assignmentId.ToString()], ct)).FirstOrDefault();
        if (found is null)
        {
            return CommandResult<Referral>.NotFound;
        }

        if (!programmes.Contains(found.ProgrammeId, StringComparer.Ordinal))
        {
            return CommandResult<Referral>.Forbidden;
        }

        var programme = await ProgrammeLock.AcquireAsync(session, found.ProgrammeId, ct)
                        ?? throw new DomainRuleException("The referral's programme is not configured.");
        var referrals = new ReferralChanges(session);
        var referral = (await referrals.GetAsync(found.Id, expectedVersion, ct))!;
        if (referral.AssignmentId != assignmentId)
        {
            throw new DomainRuleException("The assignment is no longer open: the referral has moved on.");
        }

        var result = await respond(session, referrals, programme, referral, clock.GetUtcNow());
        await session.SaveChangesAsync(ct);
        return result;
    }

    private static void EnsureAssignee(Referral referral, string linkWorkerId)
    {
        if (referral.AssignedWorkerId != linkWorkerId)
        {
            throw new DomainRuleException("Only the worker the referral is assigned to can decline or hand it back.");
        }
    }

    private static Guid JourneyOf(Referral referral) => referral.RegisteredJourneyId ?? referral.JourneyId;
}
