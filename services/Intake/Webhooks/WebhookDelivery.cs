using Referrals.Intake.Referrals;

namespace Referrals.Intake.Webhooks;

/// <summary>
/// Which escalation notice a push is about: ids, the step, whether it came outside rota hours and the times. Not the
/// statement (the referrer reads it in <c>GET /referrals/{id}</c>) and nothing about the person.
/// </summary>
public sealed record EscalationNoticePush(Guid EscalationId, int Step, bool OutsideRotaHours, DateTimeOffset? AcknowledgeBy, DateTimeOffset SentAt);

/// <summary>
/// A status change, or an escalation notice for the referrer (<see cref="EscalationNotice"/> set), is to be pushed to the
/// organisation's webhook. Only ids, the status and the notice's step and times: no personal data.
/// </summary>
public sealed record WebhookDeliveryScheduled(
    Guid DeliveryId,
    Guid SubscriptionId,
    string OrganisationId,
    Guid ReferralId,
    ReferralStatus Status,
    bool Escalated,
    long Sequence,
    DateTimeOffset OccurredAt)
{
    /// <summary>Set when the push is of an escalation notice rather than a status change.</summary>
    public EscalationNoticePush? EscalationNotice { get; init; }
}

public sealed record WebhookDeliveryFailed(Guid DeliveryId, int Attempt, int? StatusCode, string Error, DateTimeOffset FailedAt,
    DateTimeOffset NextAttemptAt);

public sealed record WebhookDelivered(Guid DeliveryId, int Attempt, int StatusCode, DateTimeOffset DeliveredAt);

public sealed record WebhookDeliveryAbandoned(Guid DeliveryId, int Attempt, string Reason, DateTimeOffset AbandonedAt);

public enum WebhookDeliveryState
{
    Pending,
    Delivered,
    Abandoned,
}

/// <summary>One push of one status change or escalation notice, with its attempts. Also the inline read model behind GET /webhooks/deliveries.</summary>
public sealed record WebhookDelivery
{
    public Guid Id { get; init; }

    public Guid SubscriptionId { get; init; }

    public required string OrganisationId { get; init; }

    public Guid ReferralId { get; init; }

    public ReferralStatus Status { get; init; }

    public bool Escalated { get; init; }

    /// <summary>Set when this push is of an escalation notice addressed to the referrer rather than a status change.</summary>
    public EscalationNoticePush? EscalationNotice { get; init; }

    public long Sequence { get; init; }

    public DateTimeOffset OccurredAt { get; init; }

    public WebhookDeliveryState State { get; init; }

    /// <summary>Attempts made so far.</summary>
    public int Attempts { get; init; }

    public int? LastStatusCode { get; init; }

    public string? LastError { get; init; }

    public DateTimeOffset? NextAttemptAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    public static WebhookDelivery Create(WebhookDeliveryScheduled e) => new()
    {
        Id = e.DeliveryId,
        SubscriptionId = e.SubscriptionId,
        OrganisationId = e.OrganisationId,
        ReferralId = e.ReferralId,
        Status = e.Status,
        Escalated = e.Escalated,
        EscalationNotice = e.EscalationNotice,
        Sequence = e.Sequence,
        OccurredAt = e.OccurredAt,
        NextAttemptAt = e.OccurredAt,
    };

    public WebhookDelivery Apply(WebhookDeliveryFailed e) => this with
    {
        Attempts = e.Attempt,
        LastStatusCode = e.StatusCode,
        LastError = e.Error,
        NextAttemptAt = e.NextAttemptAt,
    };

    public WebhookDelivery Apply(WebhookDelivered e) => this with
    {
        Attempts = e.Attempt,
        LastStatusCode = e.StatusCode,
        LastError = null,
        NextAttemptAt = null,
        State = WebhookDeliveryState.Delivered,
        FinishedAt = e.DeliveredAt,
    };

    public WebhookDelivery Apply(WebhookDeliveryAbandoned e) => this with
    {
        Attempts = e.Attempt,
        LastError = e.Reason,
        NextAttemptAt = null,
        State = WebhookDeliveryState.Abandoned,
        FinishedAt = e.AbandonedAt,
    };
}
