using Referrals.EventStore;
using Referrals.ServiceDefaults.Auth;
using Referrals.ServiceDefaults.Messaging;
using Referrals.ServiceDefaults.DataProtection;
using Referrals.ServiceDefaults.Messaging.Topology;
using Referrals.ServiceDefaults.Persistence;
using Referrals.SupportPlan.AccessAudit;
using Referrals.SupportPlan.Assessing;
using Referrals.SupportPlan.Caseloads;
using Referrals.SupportPlan.Closing;
using Referrals.SupportPlan.Connecting;
using Referrals.SupportPlan.Consenting;
using Referrals.SupportPlan.Contacting;
using Referrals.SupportPlan.Deciding;
using Referrals.SupportPlan.Directory;
using Referrals.SupportPlan.Escalating;
using Referrals.SupportPlan.GpRecords;
using Referrals.SupportPlan.Http;
using Referrals.SupportPlan.Journeys;
using Referrals.SupportPlan.LinkingReferrals;
using Referrals.SupportPlan.LoneWorking;
using Referrals.SupportPlan.MeasuringOutcomes;
using Referrals.SupportPlan.Opening;
using Referrals.SupportPlan.Overriding;
using Referrals.SupportPlan.People;
using Referrals.SupportPlan.Planning;
using Referrals.SupportPlan.Registering;
using Referrals.SupportPlan.Safeguarding;
using Referrals.SupportPlan.Telemetry;
using Referrals.SupportPlan.Timeline;

namespace Referrals.SupportPlan;

public static class SupportPlanService
{
    public const string Schema = "support_plan";

    /// <summary>The support-plan service: event store (schema support_plan), projections, consumers, access audit, options.</summary>
    public static WebApplicationBuilder AddSupportPlan(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SupportPlanOptions>().BindConfiguration(SupportPlanOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        builder.AddReferralsEventStore(Schema, o =>
        {
            o.Events.AddFromNamespaceOf<SupportPlanOptions>(t => typeof(ISupportPlanEvent).IsAssignableFrom(t));
            o.Projections.Snapshot<Journey>(ProjectionLifecycle.Inline);
            o.Projections.Snapshot<ReferralJourneyLink>(ProjectionLifecycle.Inline);
            o.Projections.Snapshot<DirectoryEntry>(ProjectionLifecycle.Inline);
            o.Projections.Snapshot<ConcernConfirmation>(ProjectionLifecycle.Inline);
            o.Projections.Snapshot<DutyReadGrant>(ProjectionLifecycle.Inline);
            o.Projections.Snapshot<GpRecordDelivery>(ProjectionLifecycle.Inline);
            o.Projections.Add(new JourneyTimelineProjection(), ProjectionLifecycle.Inline);
            o.Projections.Add(new JourneyMetricsProjection(), ProjectionLifecycle.Async);
            OpenHomeVisits.Index(o.Documents);
            o.Documents.Index<DutyReadGrant>("duty_read_worker", ["data->>'linkWorkerId'", "data->>'referralId'"]);
        });

        builder.AddReferralsMessaging(SupportPlanTopology.Service, c => c
            .Add<ReferralSubmittedConsumer, ReferralSubmittedConsumerDefinition>(SupportPlanTopology.ReferralSubmitted)
            .Add<ReferralTriagedConsumer, ReferralTriagedConsumerDefinition>(SupportPlanTopology.ReferralTriaged)
            .Add<TriageOverriddenConsumer, TriageOverriddenConsumerDefinition>(SupportPlanTopology.TriageOverridden)
            .Add<ReferralEscalatedConsumer, ReferralEscalatedConsumerDefinition>(SupportPlanTopology.ReferralEscalated)
            .Add<AssignmentAcceptedConsumer, AssignmentAcceptedConsumerDefinition>(SupportPlanTopology.AssignmentAccepted)
            .Add<ReferralWithdrawnConsumer, ReferralWithdrawnConsumerDefinition>(SupportPlanTopology.ReferralWithdrawn)
            .Add<PersonDetailsRectifiedConsumer, PersonDetailsRectifiedConsumerDefinition>(SupportPlanTopology.PersonDetailsRectified)
            .Add<PersonErasedConsumer, PersonErasedConsumerDefinition>(SupportPlanTopology.PersonErased)
            .Add<GpRecordFiledConsumer, GpRecordFiledConsumerDefinition>(SupportPlanTopology.GpRecordFiled)
            .Add<GpRecordDeliveryParkedConsumer, GpRecordDeliveryParkedConsumerDefinition>(SupportPlanTopology.GpRecordDeliveryParked)
            .Add<GpRecordParkedDeliveryAcceptedConsumer, GpRecordParkedDeliveryAcceptedConsumerDefinition>(SupportPlanTopology.GpRecordParkedDeliveryAccepted)
            .Add<GpRecordDeliveryWithheldConsumer, GpRecordDeliveryWithheldConsumerDefinition>(SupportPlanTopology.GpRecordDeliveryWithheld)
            .Add<ReferralLinkedToOpenJourneyConsumer, ReferralLinkedToOpenJourneyConsumerDefinition>(SupportPlanTopology.ReferralLinkedToOpenJourney)
            .Add<LinkedReferralReceivedConsumer, LinkedReferralReceivedConsumerDefinition>(SupportPlanTopology.LinkedReferralReceived)
            .Add<LoneWorkingCheckOutDueConsumer, LoneWorkingCheckOutDueConsumerDefinition>(SupportPlanTopology.LoneWorkingCheckOutDue)
            .Add<JourneyDormancyDueConsumer, JourneyDormancyDueConsumerDefinition>(SupportPlanTopology.JourneyDormancyDue)
            .Add<SafeguardingConcernReceivedConsumer, SafeguardingConcernReceivedConsumerDefinition>(SupportPlanTopology.SafeguardingConcernReceived)
            .Add<SafeguardingConcernCheckDueConsumer, SafeguardingConcernCheckDueConsumerDefinition>(SupportPlanTopology.SafeguardingConcernCheckDue));

        builder.Services.AddSingleton<AccessAuditLog>();
        builder.Services.AddSingleton<IPersonalDataSource, AccessAuditExport>();
        builder.Services.AddHostedService<AccessAuditMigration>();
        builder.Services.AddSingleton<ReferralProcessor>();
        builder.Services.AddScoped<JourneyCommands>();
        builder.Services.AddScoped<JourneyReads>();
        builder.Services.AddSupportPlanCommandJson();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(DirectoryEndpoints.ReadersPolicy, p => p.RequireRole(Roles.LinkWorker, Roles.TeamLead, Roles.ProgrammeAdmin))
            .AddPolicy(AccessAuditEndpoints.AuditorsPolicy, p => p.RequireRole(Roles.TeamLead, Roles.DataProtectionOfficer));
        return builder;
    }

    public static WebApplication MapSupportPlanEndpoints(this WebApplication app)
    {
        var journeys = app.MapGroup("/journeys").RequireAuthorization(Policies.Practitioner).WithTags("Journeys");
        journeys.MapJourney().MapTimeline().MapFirstContact().MapContacts().MapLoneWorking().MapAssessment().MapPlan().MapConnections()
            .MapOutcomeMeasures().MapConsent().MapSafeguarding().MapClosure().MapFurtherReferrals();
        app.MapReferralJourney();
        app.MapCaseloads();
        app.MapDirectory();
        app.MapAccessAudit();
        app.MapPersonalDataExport(SupportPlanTopology.Service);
        return app;
    }
}
