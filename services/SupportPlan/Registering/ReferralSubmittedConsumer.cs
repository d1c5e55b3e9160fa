using MassTransit;
using Microsoft.Extensions.Options;
using Referrals.Contracts;
using Referrals.Contracts.Intake;
using Referrals.EventStore;
using Referrals.ServiceDefaults.Messaging;
using Referrals.SupportPlan.People;

namespace Referrals.SupportPlan.Registering;

/// <summary>Intake accepted a referral: keep the facts the journey needs; register the journey once triage has decided too.</summary>
public sealed class ReferralSubmittedConsumer(IDocumentStore store, ReferralProcessor processor, TimeProvider clock, ILogger<ReferralSubmittedConsumer> logger)
    : IdempotentConsumer<ReferralSubmitted>(store, logger)
{
    private bool _registered;

    protected override async Task HandleAsync(IDocumentSession session, ConsumeContext<ReferralSubmitted> context)
    {
        var m = context.Message;
        // A consent erased before intake's relay sent the message reads null: it shares nothing.
        _registered = await processor.RecordAsync(session, m.ReferralId, new ReferralReceived(m.ReferralId, m.PersonId, m.JourneyId, m.PreviousJourneyId,
            m.ProgrammeId, m.RegisteredPracticeOds, m.Referrer, m.Needs, m.PostcodeDistrict, m.Urgency, m.Consent?.SharingScope ?? ConsentScope.None, m.Person,
            m.WhatMatters, m.SubmittedAt, clock.GetUtcNow()), context.CancellationToken);
    }

    /// <summary>
    /// A correction of the person's details kept before this registration committed goes to the new journey. Looked for
    /// after a registration, and whenever the message had been applied before (the earlier follow-up may not have run).
    /// </summary>
    protected override Task FollowUpAsync(IDocumentSession session, ConsumeContext<ReferralSubmitted> context, bool appliedNow) =>
        _registered || !appliedNow
            ? PersonCorrections.ApplyAsync(session, context.Message.PersonId, clock.GetUtcNow(), context.CancellationToken)
            : Task.CompletedTask;
}

public sealed class ReferralSubmittedConsumerDefinition(IOptions<MessagingOptions> options)
    : ReferralsConsumerDefinition<ReferralSubmittedConsumer>(options);
