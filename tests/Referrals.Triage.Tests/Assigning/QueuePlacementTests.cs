using Referrals.Contracts;
using Referrals.Contracts.Triage;
using Referrals.Triage.Assigning;
using Referrals.Triage.Programmes;
using Referrals.Triage.Tests.Support;

namespace Referrals.Triage.Tests.Assigning;

/// <summary>
/// A referral that joins a queue nobody can leave is told its place from a count of those ahead of it, not a read of the
/// whole queue. The count must agree with the allocator's own order, ties on the same instant included.
/// </summary>
public sealed class QueuePlacementTests(SharedHost host) : IClassFixture<SharedHost>
{
    private TriageHost Triage => host.Triage;

    [Fact]
    public async Task Each_referral_joins_a_full_queue_behind_those_the_allocator_orders_first_including_ties_at_the_same_instant_in_another_offset()
    {
        var id = Fixtures.UniqueId("placement");
        await Triage.DefineAsync(new DefineProgramme(id, "One worker, full", null, null, Fixtures.WeekdayRota("only-worker"), null,
            [Fixtures.Worker("only-worker", Tier.PsychosocialLinkWorker, ["P1"], yearly: 250, active: 1)]));
        var filling = Fixtures.Referral(id, "P1");
        await Triage.PublishAndWaitAsync<ReferralAssigned>(filling, a => a.ReferralId == filling.ReferralId);

        var t0 = new DateTimeOffset(DateTimeOffset.UtcNow.AddHours(-2).Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero);
        var india = TimeSpan.FromHours(5.5);
        (Urgency Urgency, DateTimeOffset At)[] arrivals =
        [
            (Urgency.Routine, t0),
            (Urgency.Urgent, t0.AddSeconds(1)),
            (Urgency.Routine, t0),
            (Urgency.Soon, t0.AddHours(-1)),
            (Urgency.Routine, t0.ToOffset(india)),
            (Urgency.Routine, t0.AddTicks(10)),
            (Urgency.Soon, t0.AddHours(-1).ToOffset(india)),
            (Urgency.Routine, t0.AddSeconds(-1)),
        ];

        var waiting = new List<AllocationCandidate>();
        foreach (var (urgency, at) in arrivals)
        {
            var referral = Fixtures.Referral(id, "P1", urgency: urgency, submittedAt: at);
            var queued = await Triage.PublishAndWaitAsync<ReferralQueued>(referral, q => q.ReferralId == referral.ReferralId);

            await using var query = Triage.Store.QuerySession();
            var placed = (PlacedInQueue)(await query.Events.FetchStreamAsync(referral.ReferralId)).Single(e => e.Data is PlacedInQueue).Data;
            var joining = new AllocationCandidate(referral.ReferralId, placed.Needs, false, Waiting: false);
            var expected = waiting.Count(w => Allocator.Order([w, joining]).First() == w) + 1;
            Assert.Equal(expected, placed.Position);
            Assert.Equal(expected, queued.Position);
            waiting.Add(joining with { Waiting = true });
        }

        // The arrivals cover every case the count handles: a higher priority, an earlier wait, and ties on the instant.
        Assert.Contains(waiting, w => w.Needs.Priority == Priority.Urgent);
        Assert.Equal(3, waiting.Count(w => w.Needs.Priority == Priority.Routine && w.Needs.WaitingSince == t0));
    }
}
