using Referrals.Contracts.GpRecords;
using Referrals.Contracts.Intake;
using Referrals.Contracts.SupportPlan;
using Referrals.Contracts.Triage;

namespace Referrals.ServiceDefaults.Messaging.Topology;

/// <summary>
/// Queues read by the gp-records service. It reads intake's person details, submissions and withdrawals, support-plan's
/// journey events and, of triage's events, only <see cref="Contracts.Triage.ReferralEscalated"/> (it records the registered
/// practice's notices); it never reads triage's assignment events, so no code can derive from a worker's assignment decisions.
/// </summary>
public static class GpRecordsTopology
{
    public const string Service = "gp-records";

    public static readonly PlatformEndpoint ReferralSubmitted = Endpoint<ReferralSubmitted>("gp-records-referral-submitted");
    /// <summary>A withdrawal: a referral withdrawn before registration may never be registered, so its held practice notices go now.</summary>
    public static readonly PlatformEndpoint ReferralWithdrawn = Endpoint<ReferralWithdrawn>("gp-records-referral-withdrawn");
    public static readonly PlatformEndpoint PersonDetailsRectified = Endpoint<PersonDetailsRectified>("gp-records-person-details-rectified");
    public static readonly PlatformEndpoint RegisteredPracticeChanged = Endpoint<RegisteredPracticeChanged>("gp-records-registered-practice-changed");
    public static readonly PlatformEndpoint PersonErased = Endpoint<PersonErased>("gp-records-person-erased");
    public static readonly PlatformEndpoint JourneyRegistered = Endpoint<JourneyRegistered>("gp-records-journey-registered");
    /// <summary>A team lead's override after registration: the practice's record follows the referral's eligibility.</summary>
    public static readonly PlatformEndpoint ReferralRetriaged = Endpoint<ReferralRetriaged>("gp-records-referral-retriaged");
    public static readonly PlatformEndpoint JourneyOpened = Endpoint<JourneyOpened>("gp-records-journey-opened");
    public static readonly PlatformEndpoint PersonAgreedToSocialPrescribing =
        Endpoint<PersonAgreedToSocialPrescribing>("gp-records-person-agreed-to-social-prescribing");
    public static readonly PlatformEndpoint SocialPrescribingDeclined = Endpoint<SocialPrescribingDeclined>("gp-records-social-prescribing-declined");
    public static readonly PlatformEndpoint ContactRecorded = Endpoint<ContactRecorded>("gp-records-contact-recorded");
    public static readonly PlatformEndpoint JourneyWentDormant = Endpoint<JourneyWentDormant>("gp-records-journey-went-dormant");
    public static readonly PlatformEndpoint JourneyReactivated = Endpoint<JourneyReactivated>("gp-records-journey-reactivated");
    public static readonly PlatformEndpoint WhatMattersRecorded = Endpoint<WhatMattersRecorded>("gp-records-what-matters-recorded");
    public static readonly PlatformEndpoint SupportPlanAgreed = Endpoint<SupportPlanAgreed>("gp-records-support-plan-agreed");
    public static readonly PlatformEndpoint CommunityConnectionMade = Endpoint<CommunityConnectionMade>("gp-records-community-connection-made");
    public static readonly PlatformEndpoint OutcomeMeasured = Endpoint<OutcomeMeasured>("gp-records-outcome-measured");
    public static readonly PlatformEndpoint ConsentScopeChanged = Endpoint<ConsentScopeChanged>("gp-records-consent-scope-changed");
    public static readonly PlatformEndpoint SafeguardingConcernRaised = Endpoint<SafeguardingConcernRaised>("gp-records-safeguarding-concern-raised");
    public static readonly PlatformEndpoint JourneyClosed = Endpoint<JourneyClosed>("gp-records-journey-closed");
    public static readonly PlatformEndpoint ReferralEscalated = Endpoint<ReferralEscalated>("gp-records-referral-escalated");
    public static readonly PlatformEndpoint GpJourneyRecordsDue = Endpoint<GpJourneyRecordsDue>("gp-records-gp-journey-records-due");
    public static readonly PlatformEndpoint GpDeliveriesDue = Endpoint<GpDeliveriesDue>("gp-records-gp-deliveries-due");
    public static readonly PlatformEndpoint GpHeldNoticeDue = Endpoint<GpHeldNoticeDue>("gp-records-gp-held-notice-due");

    public static IReadOnlyList<PlatformEndpoint> All =>
    [
        ReferralSubmitted, PersonDetailsRectified, RegisteredPracticeChanged, PersonErased, JourneyRegistered, JourneyOpened, PersonAgreedToSocialPrescribing,
        SocialPrescribingDeclined, ContactRecorded, JourneyWentDormant, JourneyReactivated, WhatMattersRecorded, SupportPlanAgreed,
        CommunityConnectionMade, OutcomeMeasured, ConsentScopeChanged, SafeguardingConcernRaised, JourneyClosed, ReferralEscalated,
        GpJourneyRecordsDue, GpDeliveriesDue, ReferralWithdrawn, GpHeldNoticeDue, ReferralRetriaged,
    ];

    private static PlatformEndpoint Endpoint<T>(string queue) => new(Service, queue, [typeof(T)]);
}
