using Referrals.Contracts.GpRecords;
using Referrals.Contracts.Intake;
using Referrals.Contracts.SupportPlan;
using Referrals.Contracts.Triage;

namespace Referrals.ServiceDefaults.Messaging.Topology;

/// <summary>Queues read by the support-plan service.</summary>
public static class SupportPlanTopology
{
    public const string Service = "support-plan";

    public static readonly PlatformEndpoint ReferralSubmitted = new(Service, "support-plan-referral-submitted", [typeof(ReferralSubmitted)]);
    public static readonly PlatformEndpoint ReferralTriaged = new(Service, "support-plan-referral-triaged", [typeof(ReferralTriaged)]);
    /// <summary>A team lead's override of tier or priority: the journey, and its worker's caseload, follow it.</summary>
    public static readonly PlatformEndpoint TriageOverridden = new(Service, "support-plan-triage-overridden", [typeof(TriageOverridden)]);

    /// <summary>Triage escalated a referral (each step of its duty chain): the journey shows it urgent and escalated (HAZ-001 C12).</summary>
    public static readonly PlatformEndpoint ReferralEscalated = new(Service, "support-plan-referral-escalated", [typeof(ReferralEscalated)]);

    public static readonly PlatformEndpoint AssignmentAccepted = new(Service, "support-plan-assignment-accepted", [typeof(AssignmentAccepted)]);
    public static readonly PlatformEndpoint ReferralWithdrawn = new(Service, "support-plan-referral-withdrawn", [typeof(ReferralWithdrawn)]);
    public static readonly PlatformEndpoint PersonDetailsRectified = new(Service, "support-plan-person-details-rectified", [typeof(PersonDetailsRectified)]);
    public static readonly PlatformEndpoint PersonErased = new(Service, "support-plan-person-erased", [typeof(PersonErased)]);
    public static readonly PlatformEndpoint GpRecordFiled = new(Service, "support-plan-gp-record-filed", [typeof(GpRecordFiled)]);

    /// <summary>GP-records parked a delivery: the journey is marked not yet in the GP record (HAZ-005 C12).</summary>
    public static readonly PlatformEndpoint GpRecordDeliveryParked =
        new(Service, "support-plan-gp-record-delivery-parked", [typeof(GpRecordDeliveryParked)]);

    /// <summary>
    /// GP-records' practice accepted a delivery it had reported parked: parks up to it no longer hold the journey back, so the mark
    /// clears. Replaces support-plan-gp-record-delivery-accepted (every acceptance), which is no longer declared: delete it (see README).
    /// </summary>
    public static readonly PlatformEndpoint GpRecordParkedDeliveryAccepted =
        new(Service, "support-plan-gp-record-parked-delivery-accepted", [typeof(GpRecordParkedDeliveryAccepted)]);

    /// <summary>GP-records withheld a delivery it had reported parked: it no longer holds the journey back, so its mark clears.</summary>
    public static readonly PlatformEndpoint GpRecordDeliveryWithheld =
        new(Service, "support-plan-gp-record-delivery-withheld", [typeof(GpRecordDeliveryWithheld)]);

    /// <summary>A further referral intake linked to a journey support-plan holds (HAZ-001 C8): recorded for the journey's worker.</summary>
    public static readonly PlatformEndpoint ReferralLinkedToOpenJourney =
        new(Service, "support-plan-referral-linked-to-open-journey", [typeof(ReferralLinkedToOpenJourney)]);

    /// <summary>Triage's receipt for a linked referral: one it escalated is marked so on the journey (HAZ-001 C19).</summary>
    public static readonly PlatformEndpoint LinkedReferralReceived =
        new(Service, "support-plan-linked-referral-received", [typeof(LinkedReferralReceived)]);

    public static readonly PlatformEndpoint SafeguardingConcernReceived =
        new(Service, "support-plan-safeguarding-concern-received", [typeof(SafeguardingConcernReceived)]);

    /// <summary>Support-plan's own durable timers.</summary>
    public static readonly PlatformEndpoint LoneWorkingCheckOutDue = new(Service, "support-plan-lone-working-check-out-due", [typeof(LoneWorkingCheckOutDue)]);

    public static readonly PlatformEndpoint JourneyDormancyDue = new(Service, "support-plan-journey-dormancy-due", [typeof(JourneyDormancyDue)]);

    public static readonly PlatformEndpoint SafeguardingConcernCheckDue =
        new(Service, "support-plan-safeguarding-concern-check-due", [typeof(SafeguardingConcernCheckDue)]);

    public static IReadOnlyList<PlatformEndpoint> All =>
    [
        ReferralSubmitted, ReferralTriaged, TriageOverridden, ReferralEscalated, AssignmentAccepted, ReferralWithdrawn, PersonDetailsRectified, PersonErased, GpRecordFiled,
        GpRecordDeliveryParked, GpRecordParkedDeliveryAccepted, GpRecordDeliveryWithheld, ReferralLinkedToOpenJourney, LinkedReferralReceived, SafeguardingConcernReceived, LoneWorkingCheckOutDue, JourneyDormancyDue, SafeguardingConcernCheckDue,
    ];
}
