using Referrals.EventStore;

namespace Referrals.Intake.Webhooks;

/// <summary>An organisation registered (or re-registered, which rotates the secret) the HTTPS endpoint for status pushes.</summary>
public sealed record WebhookRegistered(Guid SubscriptionId, string OrganisationId, string Url, int SecretVersion, string RegisteredBy,
    DateTimeOffset RegisteredAt);

public sealed record WebhookRemoved(Guid SubscriptionId, string OrganisationId, string RemovedBy, DateTimeOffset RemovedAt);

/// <summary>
/// An organisation's webhook: one per organisation (stream id derived from the organisation id). The signing secret is
/// never stored: it is derived from the service's webhook key and <see cref="SecretVersion"/> (see <see cref="WebhookSecrets"/>).
/// </summary>
public sealed record WebhookSubscription(Guid Id, string OrganisationId, string Url, int SecretVersion, bool Active, DateTimeOffset RegisteredAt)
{
    public static Guid StreamIdFor(BlindIndex index, string organisationId) => index.ComputeGuid("webhook-subscription", organisationId);

    public static WebhookSubscription Create(WebhookRegistered e) =>
        new(e.SubscriptionId, e.OrganisationId, e.Url, e.SecretVersion, true, e.RegisteredAt);

    public WebhookSubscription Apply(WebhookRegistered e) =>
        this with { Url = e.Url, SecretVersion = e.SecretVersion, Active = true, RegisteredAt = e.RegisteredAt };

    public WebhookSubscription Apply(WebhookRemoved e) => this with { Active = false };
}
