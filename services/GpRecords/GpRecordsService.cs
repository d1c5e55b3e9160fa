using Referrals.Contracts.SupportPlan;
using Referrals.EventStore;
using Referrals.Fhir.Terminology;
using Referrals.GpRecords.Delivering;
using Referrals.GpRecords.FhirApi;
using Referrals.GpRecords.Journeys;
using Referrals.GpRecords.Patients;
using Referrals.GpRecords.Recording;
using Referrals.ServiceDefaults.Messaging;
using Referrals.ServiceDefaults.DataProtection;
using Referrals.ServiceDefaults.Messaging.Topology;
using Referrals.ServiceDefaults.Persistence;

namespace Referrals.GpRecords;

public static class GpRecordsService
{
    /// <summary>
    /// gp-records: the event store (schema <c>gp_records</c>), the SNOMED CT code set (checked at start-up), the FHIR mapping,
    /// delivery to registered practices and the consumers of intake's and support-plan's events and of triage's escalation
    /// notices to the registered practice (held until the referral is registered, or released without a journey).
    /// </summary>
    public static WebApplicationBuilder AddGpRecords(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<GpRecordsOptions>(builder.Configuration.GetSection(GpRecordsOptions.Section));

        // Every SNOMED CT id is checked (Verhoeff, partition) here: a bad code stops the service from starting.
        var codes = SnomedCodeSet.CreateValidated(builder.Configuration.GetSection("Snomed").Get<SnomedCodeSetOptions>());
        builder.Services.AddSingleton(codes);
        builder.Services.AddSingleton(sp => new JourneyRecordMapper(codes,
            builder.Configuration.GetSection(GpRecordsOptions.Section).Get<GpRecordsOptions>()?.Fhir ?? new FhirOptions()));
        builder.Services.AddSingleton<JourneyRecordProducer>();
        builder.Services.AddSingleton<HeldNoticeReleaser>();
        builder.Services.AddSingleton<DeliverySender>();
        builder.Services.AddSingleton<PracticeRouter>();
        builder.Services.AddSingleton<IGpRecordTransport, FhirTransactionTransport>();
        builder.Services.AddHttpClient(FhirTransactionTransport.HttpClientName, (sp, client) =>
            client.Timeout = TimeSpan.FromSeconds(Math.Max(1,
                builder.Configuration.GetSection(GpRecordsOptions.Section).Get<GpRecordsOptions>()?.Delivery.RequestTimeoutSeconds ?? 30)));

        builder.AddReferralsEventStore("gp_records", o =>
        {
            o.Events.AddFromNamespaceOf<JourneyRegistered>();
            o.Events.Add<Referrals.Contracts.Intake.ReferralSubmitted>();
            o.Events.Add<Referrals.Contracts.Triage.ReferralEscalated>();
            o.Events.Add<PatientDetailsRecorded>().Add<PatientRegisteredPracticeChanged>().Add<PatientErased>();
            o.Events.Add<ResourcesProduced>().Add<ProductionReset>();
            o.Events.Add<EscalationNoticeHeld>().Add<ReferralJourneyLinked>()
                .Add<ReferralSubmissionNoted>().Add<ReferralWithdrawalNoted>().Add<HeldNoticesReleased>();
            o.Events.Add<DeliveryQueued>().Add<SharingScopeChanged>().Add<DeliveryAttemptFailed>().Add<DeliveryAccepted>()
                .Add<DeliveryFiled>().Add<DeliveryParked>().Add<DeliveryWithheld>().Add<DeliveryReplayRequested>();
            o.Projections.Add(new PatientDocumentProjection(), ProjectionLifecycle.Inline);
            o.Projections.Add(new PersonJourneysProjection(), ProjectionLifecycle.Inline);
            o.Projections.Add(new FhirResourceProjection(), ProjectionLifecycle.Inline);
            o.Projections.Add(new JourneySharingProjection(), ProjectionLifecycle.Inline);
            o.Projections.Add(new DeliveryStatusProjection(), ProjectionLifecycle.Inline);
        });

        builder.AddReferralsMessaging(GpRecordsTopology.Service, c => c
            .Add<ReferralSubmittedConsumer, ReferralSubmittedConsumerDefinition>(GpRecordsTopology.ReferralSubmitted)
            .Add<PersonDetailsRectifiedConsumer, PersonDetailsRectifiedConsumerDefinition>(GpRecordsTopology.PersonDetailsRectified)
            .Add<RegisteredPracticeChangedConsumer, RegisteredPracticeChangedConsumerDefinition>(GpRecordsTopology.RegisteredPracticeChanged)
            .Add<PersonErasedConsumer, PersonErasedConsumerDefinition>(GpRecordsTopology.PersonErased)
            .Add<JourneyRegisteredConsumer, JourneyRegisteredConsumerDefinition>(GpRecordsTopology.JourneyRegistered)
            .Add<ReferralRetriagedConsumer, ReferralRetriagedConsumerDefinition>(GpRecordsTopology.ReferralRetriaged)
            .Add<JourneyOpenedConsumer, JourneyOpenedConsumerDefinition>(GpRecordsTopology.JourneyOpened)
            .Add<PersonAgreedToSocialPrescribingConsumer, PersonAgreedToSocialPrescribingConsumerDefinition>(GpRecordsTopology.PersonAgreedToSocialPrescribing)
            .Add<SocialPrescribingDeclinedConsumer, SocialPrescribingDeclinedConsumerDefinition>(GpRecordsTopology.SocialPrescribingDeclined)
            .Add<ContactRecordedConsumer, ContactRecordedConsumerDefinition>(GpRecordsTopology.ContactRecorded)
            .Add<JourneyWentDormantConsumer, JourneyWentDormantConsumerDefinition>(GpRecordsTopology.JourneyWentDormant)
            .Add<JourneyReactivatedConsumer, JourneyReactivatedConsumerDefinition>(GpRecordsTopology.JourneyReactivated)
            .Add<WhatMattersRecordedConsumer, WhatMattersRecordedConsumerDefinition>(GpRecordsTopology.WhatMattersRecorded)
            .Add<SupportPlanAgreedConsumer, SupportPlanAgreedConsumerDefinition>(GpRecordsTopology.SupportPlanAgreed)
            .Add<CommunityConnectionMadeConsumer, CommunityConnectionMadeConsumerDefinition>(GpRecordsTopology.CommunityConnectionMade)
            .Add<OutcomeMeasuredConsumer, OutcomeMeasuredConsumerDefinition>(GpRecordsTopology.OutcomeMeasured)
            .Add<ConsentScopeChangedConsumer, ConsentScopeChangedConsumerDefinition>(GpRecordsTopology.ConsentScopeChanged)
            .Add<SafeguardingConcernRaisedConsumer, SafeguardingConcernRaisedConsumerDefinition>(GpRecordsTopology.SafeguardingConcernRaised)
            .Add<JourneyClosedConsumer, JourneyClosedConsumerDefinition>(GpRecordsTopology.JourneyClosed)
            .Add<ReferralEscalatedConsumer, ReferralEscalatedConsumerDefinition>(GpRecordsTopology.ReferralEscalated)
            .Add<GpJourneyRecordsDueConsumer, GpJourneyRecordsDueConsumerDefinition>(GpRecordsTopology.GpJourneyRecordsDue)
            .Add<GpDeliveriesDueConsumer, GpDeliveriesDueConsumerDefinition>(GpRecordsTopology.GpDeliveriesDue)
            .Add<ReferralWithdrawnConsumer, ReferralWithdrawnConsumerDefinition>(GpRecordsTopology.ReferralWithdrawn)
            .Add<GpHeldNoticeDueConsumer, GpHeldNoticeDueConsumerDefinition>(GpRecordsTopology.GpHeldNoticeDue));
        return builder;
    }

    public static WebApplication MapGpRecordsEndpoints(this WebApplication app)
    {
        app.MapFhirEndpoints();
        app.MapDeliveryEndpoints();
        app.MapPersonalDataExport(GpRecordsTopology.Service);
        return app;
    }
}
