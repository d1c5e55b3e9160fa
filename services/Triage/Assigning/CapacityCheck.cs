using Referrals.EventStore;
using Referrals.ServiceDefaults.Problems;
using Referrals.Triage.Programmes;
using Referrals.Triage.Referrals;

namespace Referrals.Triage.Assigning;

/// <summary>Checks one worker can take one referral (tier never lower; capacity), for manual assignment and take-over.</summary>
public static class CapacityCheck
{
    public static async Task<LinkWorkerProfile> EnsureCanTakeAsync(IDocumentSession session, Programme programme, Referral referral,
        string linkWorkerId, bool requireCoverage, DateTimeOffset now, CancellationToken ct)
    {
        var worker = programme.Worker(linkWorkerId);
        if (worker is not { Active: true })
        {
            throw new DomainRuleException($"{linkWorkerId} is not an active link worker in programme {programme.ProgrammeId}.");
        }

        if (worker.Tier < referral.RequiredTier)
        {
            throw new DomainRuleException(
                $"The referral needs a {Tiers.Describe(referral.RequiredTier)}; a {Tiers.Describe(worker.Tier)} cannot take it (a higher tier may take lower-tier work, never the reverse).");
        }

        if (requireCoverage && !worker.Covers(referral.RegisteredPracticeOds, referral.PostcodeDistrict))
        {
            throw new DomainRuleException($"{linkWorkerId} does not cover practice {referral.RegisteredPracticeOds}.");
        }

        var caseload = await session.LoadAsync<WorkerCaseload>(WorkerCaseload.KeyOf(programme.ProgrammeId, linkWorkerId), ct)
                       ?? WorkerCaseload.Empty(programme.ProgrammeId, linkWorkerId);
        var intake = caseload.YearlyIntake(now);
        if (intake >= worker.YearlyIntakeLimit || (worker.ActiveCaseloadLimit is { } limit && caseload.ActiveCaseload >= limit))
        {
            throw new DomainRuleException(
                $"{linkWorkerId} is at capacity ({intake}/{worker.YearlyIntakeLimit} this year, {caseload.ActiveCaseload} held now). Raise their limit in the programme configuration first.");
        }

        return worker;
    }
}
