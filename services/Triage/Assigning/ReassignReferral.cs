using Referrals.Contracts.Triage;
using Referrals.EventStore;
using Referrals.ServiceDefaults.Problems;
using Referrals.Triage.Common;
using Referrals.Triage.Programmes;
using Referrals.Triage.Referrals;

namespace Referrals.Triage.Assigning;

/// <summary>
/// A team lead assigns a referral to a named worker: from the queue, from the team lead's hold, or away from another worker
/// (a handover). The tier rule and the worker's capacity still hold; the practice need not be one the worker covers (the
/// team lead's judgement, recorded with the reason).
/// </summary>
public sealed class ReassignReferral(IDocumentStore store, TimeProvider clock, AllocationService allocation)
{
    /// <summary>Without If-Match, a concurrent change by a consumer is retried on fresh state (<see cref="RetryWithoutIfMatch"/>).</summary>
    public Task<CommandResult<Referral>> HandleAsync(Guid referralId, string linkWorkerId, string reason, string teamLead,
        IReadOnlyList<string> programmes, long? expectedVersion, CancellationToken ct) =>
        RetryWithoutIfMatch.RunAsync(expectedVersion, () => HandleOnceAsync(referralId, linkWorkerId, reason, teamLead, programmes, expectedVersion, ct));

    private async Task<CommandResult<Referral>> HandleOnceAsync(Guid referralId, string linkWorkerId, string reason, string teamLead,
        IReadOnlyList<string> programmes, long? expectedVersion, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var found = await session.LoadAsync<Referral>(referralId, ct);
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
        var referral = (await referrals.GetAsync(referralId, expectedVersion, ct))!;
        if (referral.Status is ReferralStatus.Ineligible or ReferralStatus.Withdrawn or ReferralStatus.Closed || !referral.Eligible)
        {
            throw new DomainRuleException($"A referral that is {referral.Status.ToString().ToLowerInvariant()} cannot be assigned.");
        }

        if (referral.AssignedWorkerId == linkWorkerId)
        {
            throw new DomainRuleException($"The referral is already with {linkWorkerId}.");
        }

        var now = clock.GetUtcNow();
        var worker = await CapacityCheck.EnsureCanTakeAsync(session, programme, referral, linkWorkerId, requireCoverage: false, now, ct);
        if (referral is { IsWithWorker: true, AssignmentId: { } current, AssignedWorkerId: { } previous })
        {
            referrals.Append(referral.Id, new AssignmentEnded(referral.Id, referral.PersonId, current, programme.ProgrammeId, previous,
                AssignmentEndReason.Reassigned, reason, referral.Status == ReferralStatus.Accepted, teamLead, now));
        }

        var reasons = new List<string> { $"Assigned by team lead {teamLead}." };
        if (!worker.Covers(referral.RegisteredPracticeOds, referral.PostcodeDistrict))
        {
            reasons.Add($"{linkWorkerId} does not usually cover practice {referral.RegisteredPracticeOds}: the team lead's decision.");
        }

        var assigned = new WorkerAssigned(referral.Id, referral.PersonId, Guid.CreateVersion7(), programme.ProgrammeId, linkWorkerId, worker.Tier,
            referral.QueueNeeds(), referral.Escalated, referral.PreviousWorkerId == linkWorkerId, false, reasons, (int)programme.Version, teamLead, now)
        {
            Note = reason,
        };
        referrals.Append(referral.Id, assigned);
        session.Outbox.Publish(new ReferralAssigned(assigned.AssignmentId, referral.Id, referral.RegisteredJourneyId ?? referral.JourneyId,
            referral.PersonId, programme.ProgrammeId, linkWorkerId, worker.Tier, now), referral.Id);

        // The previous worker's capacity (if any) goes to the queue.
        await allocation.AllocateAsync(session, referrals, programme, [], teamLead, ct);
        await session.SaveChangesAsync(ct);
        return (await referrals.GetAsync(referralId, ct))!;
    }
}
