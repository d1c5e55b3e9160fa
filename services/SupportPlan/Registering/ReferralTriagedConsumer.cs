using MassTransit;
using Microsoft.Extensions.Options;
using Referrals.Contracts.Triage;
using Referrals.EventStore;
using Referrals.ServiceDefaults.Messaging;
using Referrals.SupportPlan.People;

namespace Referrals.SupportPlan.Registering;

/// <summary>Triage decided a referral: keep the decision; register the journey once intake's submission is in too.</summary>
public sealed class ReferralTriagedConsumer(IDocumentStore store, ReferralProcessor processor, TimeProvider clock, ILogger<ReferralTriagedConsumer> logger)
    : IdempotentConsumer<ReferralTriaged>(store, logger)
{
    private bool _registered;

    protected override async Task HandleAsync(IDocumentSession session, ConsumeContext<ReferralTriaged> context)
    {
        var m = context.Message;
        _registered = await processor.RecordAsync(session, m.ReferralId, new TriageReceived(m.ReferralId, m.PersonId, m.ProgrammeId, m.Eligible, m.Reasons,
            m.ComplexityScore, m.RequiredTier, m.Priority, m.Escalated, m.TriagedAt, m.Source?.Version), context.CancellationToken);
    }

    /// <summary>
    /// A correction of the person's details kept before this registration committed goes to the new journey. Looked for
    /// after a registration, and whenever the message had been applied before (the earlier follow-up may not have run).
    /// </summary>
    protected override Task FollowUpAsync(IDocumentSession session, ConsumeContext<ReferralTriaged> context, bool appliedNow) =>
        _registered || !appliedNow
            ? PersonCorrections.ApplyAsync(session, context.Message.PersonId, clock.GetUtcNow(), context.CancellationToken)
            : Task.CompletedTask;
}

public sealed class ReferralTriagedConsumerDefinition(IOptions<MessagingOptions> options)
    : ReferralsConsumerDefinition<ReferralTriagedConsumer>(options);
