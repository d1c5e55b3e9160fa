using Microsoft.Extensions.Options;
using Referrals.EventStore;
using Referrals.Intake.Auditing;
using Referrals.Intake.ChangingRegisteredPractice;
using Referrals.Intake.ConfirmingTriage;
using Referrals.Intake.Erasure;
using Referrals.Intake.ExecutingErasure;
using Referrals.Intake.RectifyingDetails;
using Referrals.Intake.RequestingErasure;
using Referrals.Intake.Retention;
using Referrals.Intake.ReviewingErasure;
using Referrals.Intake.SubjectAccess;
using Referrals.ServiceDefaults.Auth;
using Referrals.ServiceDefaults.DataProtection;
using Referrals.Intake.Fhir;
using Referrals.Intake.Http;
using Referrals.Intake.People;
using Referrals.Intake.Programmes;
using Referrals.Intake.Referrals;
using Referrals.Intake.Releasing;
using Referrals.Intake.SelfReferring;
using Referrals.Intake.Submitting;
using Referrals.Intake.Tracking;
using Referrals.Intake.Webhooks;
using Referrals.Intake.Withdrawing;
using Referrals.ServiceDefaults.Messaging;
using Referrals.ServiceDefaults.Messaging.Topology;
using Referrals.ServiceDefaults.Persistence;

namespace Referrals.Intake;

public static class IntakeService
{
    /// <summary>
    /// Intake's wiring: the event store (schema <c>intake</c>: referral, person-index, idempotency, webhook streams; the
    /// referral, journey-index and webhook-delivery read models inline), the consumers of triage and support-plan events,
    /// the programme catalogue, the self-referral rate limiter and the webhook client.
    /// </summary>
    public static WebApplicationBuilder AddIntake(this WebApplicationBuilder builder)
    {
        var intake = builder.Configuration.GetSection("Intake");
        builder.AddReferralsEventStore("intake", o =>
        {
            o.Events.Add<ReferralReceived>().Add<IdempotencyKeyClaimed>().Add<ReferralProgressRecorded>().Add<ReferralEscalationNoted>()
                .Add<EscalationNoticeReceived>().Add<ReferralJourneyIdentified>().Add<ReferralWithdrawnByReferrer>()
                .Add<RegisteredPracticeRecorded>().Add<ReferralTriageConfirmationOverdue>().Add<LinkedReferralReleased>().Add<ReferralPersonalDataErased>()
                .Add<LinkedReferralTriageReceiptRecorded>().Add<LinkedReferralTriageReceiptOverdue>();
            o.Events.Add<PersonIndexed>().Add<JourneyStarted>().Add<ReferralJoinedOpenJourney>().Add<JourneyIdentityConfirmed>()
                .Add<JourneyEnded>().Add<JourneyResumed>().Add<PersonIndexErased>();
            o.Events.Add<WebhookRegistered>().Add<WebhookRemoved>().Add<WebhookDeliveryScheduled>().Add<WebhookDeliveryFailed>()
                .Add<WebhookDelivered>().Add<WebhookDeliveryAbandoned>();
            o.Events.Add<PersonDetailsCorrected>().Add<ReferralPersonIndexed>().Add<ErasureRequested>().Add<ErasureApproved>().Add<ErasureRefused>().Add<ErasureExecuted>()
                .Add<DataProtectionStepAudited>();
            o.Projections.Snapshot<Referral>(ProjectionLifecycle.Inline);
            o.Projections.Snapshot<ErasureRequest>(ProjectionLifecycle.Inline);
            o.Projections.Snapshot<WebhookDelivery>(ProjectionLifecycle.Inline);
            o.Projections.Add(new JourneyIndexProjection(), ProjectionLifecycle.Inline);
        });
        builder.AddReferralsMessaging(IntakeTopology.Service, c => c
            .Add<ReferralTriagedConsumer, ReferralTriagedConsumerDefinition>(IntakeTopology.ReferralTriaged)
            .Add<ReferralEscalatedConsumer, ReferralEscalatedConsumerDefinition>(IntakeTopology.ReferralEscalated)
            .Add<ReferralAssignedConsumer, ReferralAssignedConsumerDefinition>(IntakeTopology.ReferralAssigned)
            .Add<ReferralQueuedConsumer, ReferralQueuedConsumerDefinition>(IntakeTopology.ReferralQueued)
            .Add<AssignmentAcceptedConsumer, AssignmentAcceptedConsumerDefinition>(IntakeTopology.AssignmentAccepted)
            .Add<JourneyRegisteredConsumer, JourneyRegisteredConsumerDefinition>(IntakeTopology.JourneyRegistered)
            .Add<JourneyOpenedConsumer, JourneyOpenedConsumerDefinition>(IntakeTopology.JourneyOpened)
            .Add<PersonAgreedToSocialPrescribingConsumer, PersonAgreedToSocialPrescribingConsumerDefinition>(IntakeTopology.PersonAgreedToSocialPrescribing)
            .Add<SocialPrescribingDeclinedConsumer, SocialPrescribingDeclinedConsumerDefinition>(IntakeTopology.SocialPrescribingDeclined)
            .Add<JourneyClosedConsumer, JourneyClosedConsumerDefinition>(IntakeTopology.JourneyClosed)
            .Add<WebhookDeliveryDueConsumer, WebhookDeliveryDueConsumerDefinition>(IntakeTopology.WebhookDeliveryDue)
            .Add<ErasureExecutionDueConsumer, ErasureExecutionDueConsumerDefinition>(IntakeTopology.ErasureExecutionDue)
            .Add<RetentionPeriodEndedConsumer, RetentionPeriodEndedConsumerDefinition>(IntakeTopology.RetentionPeriodEnded)
            .Add<TriageConfirmationCheckDueConsumer, TriageConfirmationCheckDueConsumerDefinition>(IntakeTopology.TriageConfirmationCheckDue)
            .Add<LinkedReferralReceivedConsumer, LinkedReferralReceivedConsumerDefinition>(IntakeTopology.LinkedReferralReceived)
            .Add<LinkedReferralReceiptCheckDueConsumer, LinkedReferralReceiptCheckDueConsumerDefinition>(IntakeTopology.LinkedReferralReceiptCheckDue));

        var services = builder.Services;
        // Built now, so a malformed catalogue stops the service at start-up rather than at the first referral.
        services.AddSingleton(ProgrammeCatalogue.Create(
            intake.GetSection("Programmes").Get<Dictionary<string, ProgrammeSettings>>() ?? []));
        services.Configure<BodyLimits>(intake);
        services.Configure<SubmissionOptions>(intake.GetSection("Submission"));
        services.Configure<SelfReferralOptions>(intake.GetSection("SelfReferral"));
        services.AddOptions<TriageConfirmationOptions>().Bind(intake.GetSection("TriageConfirmation"))
            .Validate(o => o.CheckAfter > TimeSpan.Zero && o.CheckAfterWhenAtRisk > TimeSpan.Zero && o.MaxRounds >= 1,
                "Intake:TriageConfirmation waits must be positive and MaxRounds at least 1.")
            .ValidateOnStart();
        services.AddOptions<WebhookOptions>().Bind(intake.GetSection("Webhooks"))
            .Validate(o => !string.IsNullOrWhiteSpace(o.SecretKey), "Intake:Webhooks:SecretKey is not set (a base64 256-bit secret).")
            .Validate(o => o.Delays.All(d => d > 0) && o.TimeoutSeconds > 0, "Intake:Webhooks delays and timeout must be positive.")
            .ValidateOnStart();
        services.AddSingleton(sp => new WebhookSecrets(sp.GetRequiredService<IOptions<WebhookOptions>>().Value.SecretKey!));
        services.AddHttpClient(WebhookSender.ClientName)
            .ConfigurePrimaryHttpMessageHandler(sp =>
                WebhookConnector.CreateHandler(sp.GetRequiredService<IOptions<WebhookOptions>>().Value.AllowPrivateAddresses));
        // Free text is stored as typed; in answers, <, >, &, quotes and + are written as \u escapes (the JSON still reads
        // back exactly as typed), so no answer can be mistaken for markup even by a careless client.
        services.Configure<Microsoft.AspNetCore.Http.Json.JsonOptions>(o => o.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Default);
        services.AddSingleton<ReferralValidator>();
        services.AddSingleton<SubmissionHandler>();
        services.AddSingleton<ReferralTracker>();
        services.AddSingleton<LinkedReferralRelease>();
        services.AddSingleton<WebhookScheduler>();
        services.AddOptions<RetentionOptions>().Bind(intake.GetSection("Retention"))
            .Validate(o => o.Referral > TimeSpan.Zero && o.CareRecord > TimeSpan.Zero, "Intake:Retention periods must be positive.")
            .ValidateOnStart();
        services.AddSingleton<RetentionScheduler>();
        services.AddSingleton<DataProtectionAudit>();
        services.AddSingleton<ErasureExecutor>();
        services.AddHttpClient(SubjectAccessEndpoints.ClientName);
        services.AddSingleton<WebhookSender>();
        services.AddSelfReferralRateLimiting();
        services.AddAuthorizationBuilder().AddPolicy(IntakeAccess.ReferrerPolicy, p => p.RequireRole(IntakeAccess.ReferrerRoles))
            .AddPolicy(RequestErasureEndpoints.RequesterPolicy, p => p.RequireRole(RequestErasureEndpoints.RequesterRoles))
            .AddPolicy(ChangeRegisteredPracticeEndpoints.ChangerPolicy, p => p.RequireRole(ChangeRegisteredPracticeEndpoints.ChangerRoles));
        return builder;
    }

    public static WebApplication MapIntakeEndpoints(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            context.Response.Headers.XContentTypeOptions = "nosniff";
            return next(context);
        });
        app.UseRateLimiter();
        app.MapSubmitReferral();
        app.MapReferralQueries();
        app.MapWithdrawReferral();
        app.MapFhirIntake();
        app.MapSelfReferral();
        app.MapProgrammes();
        app.MapWebhooks();
        app.MapRequestErasure();
        app.MapReviewErasure();
        app.MapRectifyDetails();
        app.MapChangeRegisteredPractice();
        app.MapDataProtectionAudit();
        app.MapSubjectAccess();
        app.MapPersonalDataExport(IntakeTopology.Service);
        return app;
    }
}
