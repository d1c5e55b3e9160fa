using Referrals.Contracts.Intake;
using Referrals.EventStore;
using Referrals.Intake.Referrals;
using Referrals.Intake.Submitting;
using Referrals.Intake.Tracking;

namespace Referrals.Intake.Webhooks;

/// <summary>
/// Queues a push to the organisation's webhook when it has one - of a referral's new status, or of an escalation notice
/// addressed to the referrer: a delivery stream and a durable timer due at once, both in the caller's transaction, so the
/// push happens if and only if the change commits. The push's sequence is the version of the referral it is given: the
/// referral as it stood at the event the push reports (see <see cref="ReferrerPushes"/>), so each push of a referral has
/// its own.
/// </summary>
public sealed class WebhookScheduler(BlindIndex index)
{
    /// <summary>Queues a push of the referral's status and escalated flag, with its version as the sequence.</summary>
    public Task ScheduleAsync(IDocumentSession session, Referral referral, DateTimeOffset now, CancellationToken ct) =>
        ScheduleAsync(session, referral, referral.Version, null, now, ct);

    /// <summary>Queues a push of an escalation notice; <paramref name="referral"/> is the referral at the version that recorded it.</summary>
    public Task ScheduleEscalationNoticeAsync(IDocumentSession session, Referral referral, EscalationNoticeReceived notice,
        DateTimeOffset now, CancellationToken ct) =>
        ScheduleAsync(session, referral, referral.Version,
            new EscalationNoticePush(notice.EscalationId, notice.Step, notice.OutsideRotaHours, notice.AcknowledgeBy, notice.SentAt), now, ct);

    private async Task ScheduleAsync(IDocumentSession session, Referral referral, long sequence, EscalationNoticePush? notice,
        DateTimeOffset now, CancellationToken ct)
    {
        if (referral.OrganisationId == ReferralValidator.SelfReferralOrganisation)
        {
            // Self-referrals share a placeholder, not an organisation: a subscription registered under it before sign-ins
            // naming it were refused would hear of every self-referral.
            return;
        }

        var subscription = await session.Events.AggregateStreamAsync<WebhookSubscription>(
            WebhookSubscription.StreamIdFor(index, referral.OrganisationId), ct: ct);
        if (subscription is not { Active: true })
        {
            return;
        }

        var deliveryId = Guid.CreateVersion7();
        session.Events.StartStream<WebhookDelivery>(deliveryId, new WebhookDeliveryScheduled(deliveryId, subscription.Id,
            referral.OrganisationId, referral.Id, referral.Status, referral.Escalated, sequence, now) { EscalationNotice = notice });
        session.Timers.Schedule(WebhookDeliveryDecider.TimerKey(deliveryId, 1), now, new WebhookDeliveryDue(deliveryId, 1), deliveryId);
    }
}
