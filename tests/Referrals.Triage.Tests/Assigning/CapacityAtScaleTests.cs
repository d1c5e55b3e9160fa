using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Referrals.Contracts;
using Referrals.Contracts.Intake;
using Referrals.EventStore;
using Referrals.Triage.Assigning;
using Referrals.Triage.Programmes;
using Referrals.Triage.Referrals;
using Referrals.Triage.Tests.Support;
using Referrals.Triage.Triaging;
using Referrals.Triage.Worklists;
using Xunit.Abstractions;

namespace Referrals.Triage.Tests.Assigning;

/// <summary>
/// 1,000 referrals into one programme with four workers of mixed tiers (850 places a year between them). The referrals
/// go through the service's own triage handler in-process, four at a time, with the capacity bookkeeping in the real
/// store; the broker is left out only to keep it fast.
/// </summary>
public sealed class CapacityAtScaleTests(SharedHost host, ITestOutputHelper output) : IClassFixture<SharedHost>
{
    private const int Referrals = 1000;
    private static readonly string[] Practices = ["B86001", "B86002", "B86003", "B86004"];

    private static DefineProgramme Programme(string id) => new(id, "North Leeds (load test)",
        new EligibilityRules(Practices, [], [new EligibilityCriterion("Adult", MinimumAge: 18)], "Ask the practice about other support."),
        DefaultTriageRules.Rules, Fixtures.WeekdayRota("lw-psy"), ServiceLevelTargets.Default,
        [
            Fixtures.Worker("lw-a", Tier.LinkWorker, ["B86001", "B86002"], yearly: 250),
            Fixtures.Worker("lw-b", Tier.LinkWorker, ["B86003", "B86004"], yearly: 250),
            Fixtures.Worker("lw-coach", Tier.LinkWorkerCoach, Practices, yearly: 200),
            Fixtures.Worker("lw-psy", Tier.PsychosocialLinkWorker, Practices, yearly: 150, active: 150),
        ]);

    /// <summary>A realistic mix: mostly one or two everyday needs, some complex, about one in twenty showing risk.</summary>
    private static ReferralSubmitted Generate(Random random, string programme, DateTimeOffset at)
    {
        NeedCategory[] common = [NeedCategory.LonelinessOrIsolation, NeedCategory.PhysicalActivity, NeedCategory.MentalWellbeing, NeedCategory.PracticalSupport,
            NeedCategory.LongTermCondition, NeedCategory.Employment, NeedCategory.Bereavement, NeedCategory.CarerSupport];
        NeedCategory[] core = [NeedCategory.DebtOrBenefits, NeedCategory.Housing, NeedCategory.FoodOrFuel];
        var needs = new HashSet<NeedCategory> { common[random.Next(common.Length)] };
        if (random.NextDouble() < 0.45)
        {
            needs.Add(common[random.Next(common.Length)]);
        }

        if (random.NextDouble() < 0.25)
        {
            needs.Add(core[random.Next(core.Length)]);
        }

        if (random.NextDouble() < 0.08)
        {
            needs.Add(NeedCategory.SubstanceUse);
        }

        var roll = random.NextDouble();
        var risk = roll < 0.03 ? new RiskAnswers(random.NextDouble() < 0.5, false, true, false) : Fixtures.NoRisk;
        string[] reasons =
        [
            "Lonely since moving to the area and would like to meet people.",
            "Struggling with money and the gas bill, would like help with benefits.",
            "Recently widowed and finding the evenings hard.",
            "Type 2 diabetes, wants to be more active with others.",
            "Low mood, no family nearby and not going out much.",
            "Sofa surfing since the relationship ended.",
            "Caring for her husband with dementia and exhausted.",
        ];
        var reason = roll is >= 0.03 and < 0.06 ? "Says she has been feeling like ending it all lately." : reasons[random.Next(reasons.Length)];
        return Fixtures.Referral(programme, Practices[random.Next(Practices.Length)], age: random.Next(18, 90),
            longTermCondition: random.NextDouble() < 0.4, carer: random.NextDouble() < 0.1, needs: needs.ToList(), risk: risk, reason: reason,
            urgency: random.NextDouble() < 0.05 ? Urgency.Soon : Urgency.Routine, submittedAt: at);
    }

    [Fact]
    public async Task A_thousand_referrals_to_four_workers_leave_nobody_over_capacity_every_referral_assigned_or_queued_and_no_escalation_queued()
    {
        var id = Fixtures.UniqueId("scale");
        var programme = await host.Triage.DefineAsync(Programme(id));
        var definition = Programme(id);
        var store = host.Triage.Store;
        var triage = host.Triage.Services.GetRequiredService<TriageReferral>();
        var random = new Random(2026);
        var start = DateTimeOffset.UtcNow.AddHours(-3);
        var referrals = Enumerable.Range(0, Referrals).Select(i => Generate(random, id, start.AddSeconds(i * 10))).ToList();

        var stopwatch = Stopwatch.StartNew();
        using var gate = new SemaphoreSlim(4);
        await Task.WhenAll(referrals.Select(async referral =>
        {
            await gate.WaitAsync();
            try
            {
                await using var session = store.LightweightSession();
                Assert.NotNull(await triage.HandleAsync(session, referral, CancellationToken.None));
                await session.SaveChangesAsync();
            }
            finally
            {
                gate.Release();
            }
        }));
        stopwatch.Stop();
        output.WriteLine($"{Referrals} referrals triaged and allocated in {stopwatch.Elapsed.TotalSeconds:F1} s ({stopwatch.Elapsed.TotalMilliseconds / Referrals:F1} ms each)");

        await using var query = store.QuerySession();
        var all = await query.QueryAsync<Referral>("data->>'programmeId' = ?", id);
        Assert.Equal(Referrals, all.Count);
        Assert.All(all, r => Assert.Equal(programme.ConfigurationVersion, r.Triage!.ConfigurationVersion));

        // Every referral is assigned or queued.
        Assert.All(all, r => Assert.Contains(r.Status, new[] { ReferralStatus.Offered, ReferralStatus.Queued }));
        var offered = all.Where(r => r.Status == ReferralStatus.Offered).ToList();
        var queued = all.Where(r => r.Status == ReferralStatus.Queued).ToList();

        // Nobody is over capacity, counted from the referrals themselves and from the bookkeeping.
        var caseloads = (await query.QueryAsync<WorkerCaseload>("data->>'programmeId' = ?", id)).ToDictionary(c => c.LinkWorkerId);
        foreach (var worker in definition.LinkWorkers!)
        {
            var held = offered.Count(r => r.AssignedWorkerId == worker.LinkWorkerId);
            var caseload = caseloads[worker.LinkWorkerId];
            Assert.Equal(held, caseload.ActiveCaseload);
            Assert.Equal(held, caseload.YearlyIntake(DateTimeOffset.UtcNow));
            Assert.True(held <= worker.YearlyIntakeLimit, $"{worker.LinkWorkerId} holds {held} of {worker.YearlyIntakeLimit}");
            Assert.True(worker.ActiveCaseloadLimit is null || held <= worker.ActiveCaseloadLimit);
            output.WriteLine($"{worker.LinkWorkerId} ({worker.Tier}): {held}/{worker.YearlyIntakeLimit}");
        }

        // A higher tier may take lower-tier work, never the reverse.
        Assert.All(offered, r => Assert.True(r.AssignedWorkerTier >= r.RequiredTier));

        // No escalation is queued; every escalated referral is with a worker.
        var escalated = all.Where(r => r.Escalated).ToList();
        Assert.NotEmpty(escalated);
        Assert.All(escalated, r => Assert.Equal(ReferralStatus.Offered, r.Status));
        foreach (var referral in escalated)
        {
            var events = await query.Events.FetchStreamAsync(referral.Id);
            Assert.DoesNotContain(events, e => e.Data is PlacedInQueue);
            Assert.DoesNotContain(events, e => e.Data is WorkerAssigned { OverCapacity: true });
        }

        // Every queued referral has a visible position and waiting time, 1..n in queue order.
        using var lead = host.Triage.TeamLead(id);
        var view = (await lead.GetFromJsonAsync<ProgrammeQueueResponse>($"/programmes/{id}/queue", TriageHost.Json))!;
        Assert.Equal(queued.Select(r => r.Id).Order(), view.Queue.Select(q => q.ReferralId).Order());
        Assert.Equal(Enumerable.Range(1, queued.Count), view.Queue.Select(q => q.Position!.Value));
        Assert.All(view.Queue, q => Assert.True(q.WaitingMinutes > 0));
        Assert.All(queued, r => Assert.Contains(r.QueueReasons, reason => reason.StartsWith("Queued at position", StringComparison.Ordinal)));
        Assert.Empty(view.AwaitingTeamLead);

        // Each referral joined the queue at its place in queue order among those already waiting (once capacity ran out,
        // through the allocator's count of the queue rather than a read of it). Nobody left the queue during the run.
        var joins = new List<PlacedInQueue>();
        var sequences = new Dictionary<Guid, long>();
        foreach (var referral in queued)
        {
            var placed = (await query.Events.FetchStreamAsync(referral.Id)).Single(e => e.Data is PlacedInQueue);
            joins.Add((PlacedInQueue)placed.Data);
            sequences[referral.Id] = placed.Sequence;
        }

        var waiting = new List<AllocationCandidate>();
        foreach (var join in joins.OrderBy(j => sequences[j.ReferralId]))
        {
            var joining = new AllocationCandidate(join.ReferralId, join.Needs, false, Waiting: false);
            Assert.Equal(waiting.Count(w => Allocator.Order([w, joining]).First() == w) + 1, join.Position);
            waiting.Add(joining with { Waiting = true });
        }

        // The two link workers covering two practices each share evenly.
        var (a, b) = (offered.Count(r => r.AssignedWorkerId == "lw-a"), offered.Count(r => r.AssignedWorkerId == "lw-b"));
        Assert.InRange(Math.Abs(a - b), 0, 25);
        output.WriteLine($"Offered {offered.Count}, queued {queued.Count}, escalated {escalated.Count}");
    }
}
