namespace Referrals.Contracts.Intake;

/// <summary>
/// Intake's own durable-timer message: attempt <see cref="Attempt"/> of webhook delivery <see cref="DeliveryId"/> is due.
/// It lives here only because the platform topology (which declares every queue) must name its type; no other service
/// consumes it, and it carries no personal data.
/// </summary>
public sealed record WebhookDeliveryDue(Guid DeliveryId, int Attempt);
