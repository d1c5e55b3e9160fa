using MassTransit;
using Microsoft.Extensions.Options;

using Referrals.EventStore;
using Referrals.ServiceDefaults.Messaging;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.Contacting;

/// <summary>The dormancy timer fired: the journey goes dormant if nobody has made contact since (never closed automatically).</summary>
public sealed class JourneyDormancyDueConsumer(IDocumentStore store, TimeProvider clock, IOptions<SupportPlanOptions> options,
    ILogger<JourneyDormancyDueConsumer> logger) : IdempotentConsumer<Integration.JourneyDormancyDue>(store, logger)
{
    protected override async Task HandleAsync(IDocumentSession session, ConsumeContext<Integration.JourneyDormancyDue> context)
    {
        var due = context.Message;
        var stream = await session.Events.FetchForWriting<Journey>(due.JourneyId, context.CancellationToken);
        if (stream.Aggregate is not { } journey)
        {
            return;
        }

        var policy = options.Value.ToPolicy();
        var now = clock.GetUtcNow();
        var events = ContactDecider.CheckDormancy(journey, due.LastContactAt, now, policy);
        var after = Fold.Apply(journey, events)!;
        stream.AppendMany(events);
        JourneyEffects.Apply(session, journey, after, events, policy);
        if (events.Count == 0)
        {
            if (JourneyEffects.DormancyDue(after, policy) == due.DueAt && due.LastContactAt == after.NoContactSince)
            {
                // The timer standing for the real due time is the one that just fired, ahead of this clock: its key is spent,
                // so scheduling it again would do nothing. Check again under a key of its own.
                JourneyEffects.ScheduleDormancyRecheck(session, after, policy, now);
            }
            else
            {
                // Not due after all (e.g. the configured weeks grew): make sure a timer stands for the real due time.
                JourneyEffects.EnsureDormancyTimer(session, after, policy);
            }
        }
    }
}

public sealed class JourneyDormancyDueConsumerDefinition(IOptions<MessagingOptions> options)
    : ReferralsConsumerDefinition<JourneyDormancyDueConsumer>(options);
