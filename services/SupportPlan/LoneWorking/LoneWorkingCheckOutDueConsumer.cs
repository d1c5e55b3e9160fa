using MassTransit;
using Microsoft.Extensions.Options;
using Referrals.EventStore;
using Referrals.ServiceDefaults.Messaging;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.LoneWorking;

/// <summary>
/// The check-out timer of a home visit fired. The alert (LoneWorkingCheckOutOverdue, for the team lead) is raised exactly
/// once: the timer fires once (PostgreSQL), a redelivered message is dropped by the inbox, and the decider refuses a second
/// alert for the same visit. A check-out that came first (timer cancelled, or raced) means no alert. A timer that fires
/// before this host's clock reaches the expected end is set again for it.
/// </summary>
public sealed class LoneWorkingCheckOutDueConsumer(IDocumentStore store, TimeProvider clock, IOptions<SupportPlanOptions> options,
    ILogger<LoneWorkingCheckOutDueConsumer> logger) : IdempotentConsumer<Integration.LoneWorkingCheckOutDue>(store, logger)
{
    protected override async Task HandleAsync(IDocumentSession session, ConsumeContext<Integration.LoneWorkingCheckOutDue> context)
    {
        var due = context.Message;
        var stream = await session.Events.FetchForWriting<Journey>(due.JourneyId, context.CancellationToken);
        if (stream.Aggregate is not { } journey)
        {
            return;
        }

        var now = clock.GetUtcNow();
        if (LoneWorkingDecider.CheckAgainAt(journey, due.VisitId, now) is { } again)
        {
            // A key of its own per firing: the timer store ignores a key it has seen, and the inbox makes this run once.
            session.Timers.Schedule($"{JourneyEffects.LoneWorkingTimerKey(due.VisitId)}:recheck:{context.MessageId:N}", again, due, journey.Id);
            return;
        }

        var events = LoneWorkingDecider.CheckOverdue(journey, due.VisitId, now);
        if (events.Count > 0)
        {
            logger.LogWarning("Lone-working check-out overdue on journey {JourneyId}, visit {VisitId}: alerting the team lead", due.JourneyId, due.VisitId);
            stream.AppendMany(events);
            JourneyEffects.Apply(session, journey, Fold.Apply(journey, events)!, events, options.Value.ToPolicy());
        }
    }
}

public sealed class LoneWorkingCheckOutDueConsumerDefinition(IOptions<MessagingOptions> options)
    : ReferralsConsumerDefinition<LoneWorkingCheckOutDueConsumer>(options);
