using Referrals.Contracts.Intake;
using Referrals.Contracts.SupportPlan;
using Referrals.Contracts.Triage;

namespace Referrals.ServiceDefaults.Messaging.Topology;

/// <summary>
/// Queues read by the intake service: the triage and support-plan events that make up the status a referrer sees
/// (and that close a journey in the person index), and intake's own timers (webhook delivery, erasure execution, retention, triage confirmation,
/// linked referral receipt).
/// </summary>
public static class IntakeTopology
{
    public const string Service = "intake";

    public static readonly PlatformEndpoint ReferralTriaged = Endpoint<ReferralTriaged>("intake-referral-triaged");
    public static readonly PlatformEndpoint ReferralEscalated = Endpoint<ReferralEscalated>("intake-referral-escalated");
    public static readonly PlatformEndpoint ReferralAssigned = Endpoint<ReferralAssigned>("intake-referral-assigned");
    public static readonly PlatformEndpoint ReferralQueued = Endpoint<ReferralQueued>("intake-referral-queued");
    public static readonly PlatformEndpoint AssignmentAccepted = Endpoint<AssignmentAccepted>("intake-assignment-accepted");
    public static readonly PlatformEndpoint JourneyRegistered = Endpoint<JourneyRegistered>("intake-journey-registered");
    public static readonly PlatformEndpoint JourneyOpened = Endpoint<JourneyOpened>("intake-journey-opened");

    public static readonly PlatformEndpoint PersonAgreedToSocialPrescribing =
        Endpoint<PersonAgreedToSocialPrescribing>("intake-person-agreed-to-social-prescribing");

    public static readonly PlatformEndpoint SocialPrescribingDeclined = Endpoint<SocialPrescribingDeclined>("intake-social-prescribing-declined");
    public static readonly PlatformEndpoint JourneyClosed = Endpoint<JourneyClosed>("intake-journey-closed");
    public static readonly PlatformEndpoint WebhookDeliveryDue = Endpoint<WebhookDeliveryDue>("intake-webhook-delivery-due");
    public static readonly PlatformEndpoint ErasureExecutionDue = Endpoint<ErasureExecutionDue>("intake-erasure-execution-due");
    public static readonly PlatformEndpoint RetentionPeriodEnded = Endpoint<RetentionPeriodEnded>("intake-retention-period-ended");

    public static readonly PlatformEndpoint TriageConfirmationCheckDue =
        Endpoint<TriageConfirmationCheckDue>("intake-triage-confirmation-check-due");

    /// <summary>Triage's receipt for a referral intake linked to an open journey (HAZ-001 C18).</summary>
    public static readonly PlatformEndpoint LinkedReferralReceived = Endpoint<LinkedReferralReceived>("intake-linked-referral-received");

    /// <summary>Intake's own durable timer: a linked referral's triage receipt check came due (HAZ-001 C18).</summary>
    public static readonly PlatformEndpoint LinkedReferralReceiptCheckDue =
        Endpoint<LinkedReferralReceiptCheckDue>("intake-linked-referral-receipt-check-due");

    public static IReadOnlyList<PlatformEndpoint> All =>
    [
        ReferralTriaged,
        ReferralEscalated,
        ReferralAssigned,
        ReferralQueued,
        AssignmentAccepted,
        JourneyRegistered,
        JourneyOpened,
        PersonAgreedToSocialPrescribing,
        SocialPrescribingDeclined,
        JourneyClosed,
        WebhookDeliveryDue,
        ErasureExecutionDue,
        RetentionPeriodEnded,
        TriageConfirmationCheckDue,
        LinkedReferralReceived,
        LinkedReferralReceiptCheckDue,
    ];

    private static PlatformEndpoint Endpoint<T>(string queue) => new(Service, queue, [typeof(T)]);
}
