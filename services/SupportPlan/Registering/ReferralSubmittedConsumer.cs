using MassTransit;
using Microsoft.Extensions.Options;
using Referrals.Contracts.Intake;
using Referrals.EventStore;
using Referrals.ServiceDefaults.Messaging;
using Referrals.SupportPlan.People;

namespace Referrals.SupportPlan.Registering;

/// <summary>Intake accepted a referral: keep the facts the journey needs; register the journey once triage has decided too.</summary>
public sealed class ReferralSubmittedConsumer(IDocumentStore store, ReferralProcessor processor, TimeProvider clock, ILogger<ReferralSubmittedConsumer> logger)
    : IdempotentConsumer<ReferralSubmitted>(store, logger)
{
    protected override Task HandleAsync(IDocumentSession session, ConsumeContext<ReferralSubmitted> context)
    {
        var m = context.Message;
        return processor.RecordAsync(session, m.ReferralId, new ReferralReceived(m.ReferralId, m.PersonId, m.JourneyId, m.PreviousJourneyId,
            m.ProgrammeId, m.RegisteredPracticeOds, m.Referrer, m.Needs, m.PostcodeDistrict, m.Urgency, m.Consent.SharingScope, m.Person,
            m.WhatMatters, m.SubmittedAt, clock.GetUtcNow()), context.CancellationToken);
    }

    /// <summary>A correction of the person's details kept before this registration committed goes to the new journey.</summary>
    protected override Task FollowUpAsync(IDocumentSession session, ConsumeContext<ReferralSubmitted> context, bool appliedNow) =>
        PersonCorrections.ApplyAsync(session, context.Message.PersonId, clock.GetUtcNow(), context.CancellationToken);
}

public sealed class ReferralSubmittedConsumerDefinition(IOptions<MessagingOptions> options)
    : ReferralsConsumerDefinition<ReferralSubmittedConsumer>(options);
