using MassTransit;
using Microsoft.Extensions.Options;
using Referrals.Contracts.Intake;
using Referrals.EventStore;
using Referrals.ServiceDefaults.Messaging;

namespace Referrals.Intake.Webhooks;

/// <summary>
/// Makes one delivery attempt when its timer fires, records the result and, on failure, schedules the next attempt after
/// the configured back-off (durable timers in PostgreSQL: a restart loses nothing). Delivery is at least once; receivers
/// de-duplicate on <c>webhook-id</c>.
/// </summary>
public sealed class WebhookDeliveryDueConsumer(
    IDocumentStore store,
    WebhookSender sender,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    ILogger<WebhookDeliveryDueConsumer> logger) : IdempotentConsumer<WebhookDeliveryDue>(store, logger)
{
    protected override async Task HandleAsync(IDocumentSession session, ConsumeContext<WebhookDeliveryDue> context)
    {
        var (deliveryId, attempt) = context.Message;
        var stream = await session.Events.FetchForWriting<WebhookDelivery>(deliveryId, context.CancellationToken);
        if (!WebhookDeliveryDecider.ShouldAttempt(stream.Aggregate, attempt))
        {
            return;
        }

        var delivery = stream.Aggregate!;
        var subscription = await session.Events.AggregateStreamAsync<WebhookSubscription>(delivery.SubscriptionId, ct: context.CancellationToken);
        if (subscription is not { Active: true })
        {
            stream.AppendOne(new WebhookDeliveryAbandoned(deliveryId, attempt, "The webhook was removed.", time.GetUtcNow()));
            return;
        }

        var result = await sender.SendAsync(subscription, delivery, context.CancellationToken);
        var decision = WebhookDeliveryDecider.Decide(delivery, attempt, result, options.Value.Delays, time.GetUtcNow());
        stream.AppendMany(decision.Events);
        if (decision.Next is { } next)
        {
            session.Timers.Schedule(next.TimerKey, next.DueAt, next.Message, deliveryId);
        }

        logger.LogInformation("Webhook delivery {DeliveryId} attempt {Attempt}: {Outcome}", deliveryId, attempt,
            result.Success ? "delivered" : decision.Next is null ? "abandoned" : "retry scheduled");
    }
}

public sealed class WebhookDeliveryDueConsumerDefinition(IOptions<MessagingOptions> options)
    : ReferralsConsumerDefinition<WebhookDeliveryDueConsumer>(options);
