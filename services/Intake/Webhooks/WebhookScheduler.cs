using Referrals.Contracts.Intake;
using Referrals.EventStore;
using Referrals.Intake.Referrals;

namespace Referrals.Intake.Webhooks;

/// <summary>
/// Queues a push of a referral's new status when its organisation has a webhook: a delivery stream and a durable timer
/// due at once, both in the caller's transaction, so the push happens if and only if the status change commits.
/// </summary>
public sealed class WebhookScheduler(BlindIndex index)
{
    public async Task ScheduleAsync(IDocumentSession session, Referral referral, DateTimeOffset now, CancellationToken ct)
    {
        var subscription = await session.Events.AggregateStreamAsync<WebhookSubscription>(
            WebhookSubscription.StreamIdFor(index, referral.OrganisationId), ct: ct);
        if (subscription is not { Active: true })
        {
            return;
        }

        var deliveryId = Guid.CreateVersion7();
        session.Events.StartStream<WebhookDelivery>(deliveryId, new WebhookDeliveryScheduled(deliveryId, subscription.Id,
            referral.OrganisationId, referral.Id, referral.Status, referral.Escalated, referral.Version, now));
        session.Timers.Schedule(WebhookDeliveryDecider.TimerKey(deliveryId, 1), now, new WebhookDeliveryDue(deliveryId, 1), deliveryId);
    }
}
