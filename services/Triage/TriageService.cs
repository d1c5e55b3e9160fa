using Referrals.EventStore;
using Referrals.ServiceDefaults.DataProtection;
using Referrals.ServiceDefaults.Messaging.Topology;
using Referrals.ServiceDefaults.Persistence;
using Referrals.ServiceDefaults.Messaging;
using Referrals.Triage.Assigning;
using Referrals.Triage.Common;
using Referrals.Triage.Escalating;
using Referrals.Triage.Journeys;
using Referrals.Triage.Programmes;
using Referrals.Triage.Referrals;
using Referrals.Triage.ServiceLevels;
using Referrals.Triage.Triaging;
using Referrals.Triage.Worklists;

namespace Referrals.Triage;

public static class TriageService
{
    /// <summary>The triage service: its event store (schema "triage"), projections, consumers, handlers and, in Development, seed programmes.</summary>
    public static WebApplicationBuilder AddTriage(this WebApplicationBuilder builder)
    {
        builder.AddReferralsEventStore("triage", o =>
        {
            o.Events.AddFromNamespaceOf<ITriageEvent>(t => typeof(ITriageEvent).IsAssignableFrom(t));
            o.Projections.Snapshot<Programme>(ProjectionLifecycle.Inline);
            o.Projections.Snapshot<Referral>(ProjectionLifecycle.Inline);
            o.Projections.Snapshot<Escalation>(ProjectionLifecycle.Inline);
            o.Projections.Snapshot<QueueEntry>(ProjectionLifecycle.Inline);
            o.Projections.Add(new WorkerCaseloadProjection(), ProjectionLifecycle.Inline);
            o.Projections.Add(new JourneyIndexProjection(), ProjectionLifecycle.Inline);
            QueueEntry.Sql.Indexes(o.Documents).Index<WorkerCaseload>("programme", [WorkerCaseload.Programme]);
            Escalation.Sql.Indexes(o.Documents);
        });

        // Before messaging: hosted services start in order, so the bus consumes only once the programmes are seeded.
        if (builder.Environment.IsDevelopment())
        {
            builder.Services.AddHostedService<DevelopmentProgrammes>();
        }

        builder.AddReferralsMessaging(TriageTopology.Service, c => c
            .Add<ReferralSubmittedConsumer, ReferralSubmittedConsumerDefinition>(TriageTopology.ReferralSubmitted)
            .Add<ReferralWithdrawnConsumer, ReferralWithdrawnConsumerDefinition>(TriageTopology.ReferralWithdrawn)
            .Add<PersonErasedConsumer, PersonErasedConsumerDefinition>(TriageTopology.PersonErased)
            .Add<JourneyRegisteredConsumer, JourneyRegisteredConsumerDefinition>(TriageTopology.JourneyRegistered)
            .Add<ContactRecordedConsumer, ContactRecordedConsumerDefinition>(TriageTopology.ContactRecorded)
            .Add<JourneyClosedConsumer, JourneyClosedConsumerDefinition>(TriageTopology.JourneyClosed)
            .Add<SafeguardingConcernRaisedConsumer, SafeguardingConcernRaisedConsumerDefinition>(TriageTopology.SafeguardingConcernRaised)
            .Add<ReferralLinkedToOpenJourneyConsumer, ReferralLinkedToOpenJourneyConsumerDefinition>(TriageTopology.ReferralLinkedToOpenJourney)
            .Add<EscalationDeadlineDueConsumer, EscalationDeadlineDueConsumerDefinition>(TriageTopology.EscalationDeadlineDue)
            .Add<ServiceLevelDueConsumer, ServiceLevelDueConsumerDefinition>(TriageTopology.ServiceLevelDue));

        builder.Services.AddSingleton<AllocationService>();
        builder.Services.AddSingleton<EscalationWorkflow>();
        builder.Services.AddSingleton<TriageReferral>();
        builder.Services.AddSingleton<OverrideTriage>();
        builder.Services.AddSingleton<ReassignReferral>();
        builder.Services.AddSingleton<RespondToAssignment>();
        builder.Services.AddSingleton<ProgrammeAdministration>();
        builder.Services.AddSingleton<EscalationWatchdog>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<EscalationWatchdog>());

        return builder;
    }

    public static WebApplication MapTriageEndpoints(this WebApplication app)
    {
        app.MapProgrammeEndpoints();
        app.MapReferralEndpoints();
        app.MapWorklistEndpoints();
        app.MapEscalationEndpoints();
        app.MapPersonalDataExport(TriageTopology.Service);
        return app;
    }
}
