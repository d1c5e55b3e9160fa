using Referrals.EventStore;

namespace Referrals.GpRecords.Delivering;

/// <summary>
/// Records withholds on a journey's delivery queue and, in the same transaction (through the outbox), reports those of a
/// delivery that had been reported parked, so support-plan's "not yet in the GP record" mark does not outlive it (HAZ-005 C12).
/// Every path that withholds (a step, a move, a widening, an erasure) goes through here.
/// </summary>
public static class DeliveryWithholding
{
    public static void Record(IDocumentSession session, IEventStream<DeliveryQueue> queue, IReadOnlyList<object> events)
    {
        // Read from the queue before these events apply: a withheld delivery is done, and done ones are not reported.
        var reports = DeliveryDecider.WithheldReports(queue.Aggregate, events);
        queue.AppendMany(events);
        foreach (var report in reports)
        {
            session.Outbox.Publish(report, queue.Id);
        }
    }
}
