using Referrals.Contracts.Intake;

namespace Referrals.Intake.Webhooks;

/// <summary>The next attempt to schedule, as a durable timer.</summary>
public sealed record NextAttempt(string TimerKey, DateTimeOffset DueAt, WebhookDeliveryDue Message);

public sealed record AttemptDecision(IReadOnlyList<object> Events, NextAttempt? Next);

/// <summary>Pure decisions for webhook delivery: what an attempt's result means, and when to try again (back-off).</summary>
public static class WebhookDeliveryDecider
{
    public static string TimerKey(Guid deliveryId, int attempt) => $"webhook:{deliveryId:N}:{attempt}";

    /// <summary>Whether attempt <paramref name="attempt"/> should be made now (not already made, delivery not finished).</summary>
    public static bool ShouldAttempt(WebhookDelivery? delivery, int attempt) =>
        delivery is { State: WebhookDeliveryState.Pending } && delivery.Attempts == attempt - 1;

    public static AttemptDecision Decide(WebhookDelivery delivery, int attempt, WebhookAttemptResult result,
        IReadOnlyList<int> retryDelaysSeconds, DateTimeOffset now)
    {
        if (result.Success)
        {
            return new AttemptDecision([new WebhookDelivered(delivery.Id, attempt, result.StatusCode ?? 200, now)], null);
        }

        var error = result.Error ?? "Failed";
        if (result.Permanent)
        {
            // Retrying for hours cannot change a refused address: give up now, saying why.
            return new AttemptDecision([new WebhookDeliveryAbandoned(delivery.Id, attempt, error, now)], null);
        }

        if (attempt > retryDelaysSeconds.Count)
        {
            return new AttemptDecision([new WebhookDeliveryAbandoned(delivery.Id, attempt, "Gave up after " + attempt + " attempts; last: " + error, now)], null);
        }

        var due = now + TimeSpan.FromSeconds(retryDelaysSeconds[attempt - 1]);
        return new AttemptDecision(
            [new WebhookDeliveryFailed(delivery.Id, attempt, result.StatusCode, error, now, due)],
            new NextAttempt(TimerKey(delivery.Id, attempt + 1), due, new WebhookDeliveryDue(delivery.Id, attempt + 1)));
    }
}
