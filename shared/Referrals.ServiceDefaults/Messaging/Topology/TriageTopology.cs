using Referrals.Contracts.Intake;
using Referrals.Contracts.SupportPlan;
using Referrals.Contracts.Triage;

namespace Referrals.ServiceDefaults.Messaging.Topology;

/// <summary>Queues read by the triage service.</summary>
public static class TriageTopology
{
    public const string Service = "triage";

    public static readonly PlatformEndpoint ReferralSubmitted =
        new(Service, "triage-referral-submitted", [typeof(ReferralSubmitted)]);

    public static readonly PlatformEndpoint ReferralWithdrawn =
        new(Service, "triage-referral-withdrawn", [typeof(ReferralWithdrawn)]);

    public static readonly PlatformEndpoint PersonErased =
        new(Service, "triage-person-erased", [typeof(PersonErased)]);

    public static readonly PlatformEndpoint JourneyRegistered =
        new(Service, "triage-journey-registered", [typeof(JourneyRegistered)]);

    public static readonly PlatformEndpoint ContactRecorded =
        new(Service, "triage-contact-recorded", [typeof(ContactRecorded)]);

    public static readonly PlatformEndpoint JourneyClosed =
        new(Service, "triage-journey-closed", [typeof(JourneyClosed)]);

    public static readonly PlatformEndpoint SafeguardingConcernRaised =
        new(Service, "triage-safeguarding-concern-raised", [typeof(SafeguardingConcernRaised)]);

    /// <summary>A referral intake linked to the person's open journey: any risk it reports escalates (HAZ-001).</summary>
    public static readonly PlatformEndpoint ReferralLinkedToOpenJourney =
        new(Service, "triage-referral-linked-to-open-journey", [typeof(ReferralLinkedToOpenJourney)]);

    /// <summary>Triage's own durable timer: an escalation step's acknowledgement deadline.</summary>
    public static readonly PlatformEndpoint EscalationDeadlineDue =
        new(Service, "triage-escalation-deadline-due", [typeof(EscalationDeadlineDue)]);

    /// <summary>Triage's own durable timer: a service level (first contact) came due.</summary>
    public static readonly PlatformEndpoint ServiceLevelDue =
        new(Service, "triage-service-level-due", [typeof(ServiceLevelDue)]);

    public static IReadOnlyList<PlatformEndpoint> All =>
    [
        ReferralSubmitted,
        ReferralWithdrawn,
        PersonErased,
        JourneyRegistered,
        ContactRecorded,
        JourneyClosed,
        SafeguardingConcernRaised,
        ReferralLinkedToOpenJourney,
        EscalationDeadlineDue,
        ServiceLevelDue,
    ];
}
