using MassTransit;
using Microsoft.Extensions.Options;
using Referrals.Contracts.Triage;
using Referrals.EventStore;
using Referrals.ServiceDefaults.Messaging;
using Referrals.SupportPlan.Journeys;
using Referrals.SupportPlan.Telemetry;

namespace Referrals.SupportPlan.Safeguarding;

/// <summary>
/// Triage confirmed it received a concern this journey raised: recorded once, in the concern's own stream (the journey's version
/// does not change), and the pending check is cancelled.
/// </summary>
public sealed class SafeguardingConcernReceivedConsumer(IDocumentStore store, TimeProvider clock, IOptions<SupportPlanOptions> options,
    ILogger<SafeguardingConcernReceivedConsumer> logger) : IdempotentConsumer<SafeguardingConcernReceived>(store, logger)
{
    protected override async Task HandleAsync(IDocumentSession session, ConsumeContext<SafeguardingConcernReceived> context)
    {
        var receipt = context.Message;
        if (await session.LoadAsync<Journey>(receipt.JourneyId, context.CancellationToken) is not { } journey)
        {
            // Support-plan records the concern in the transaction that sends it, so this is not a message that came early.
            logger.LogWarning("Confirmation of safeguarding concern {ConcernId} for unknown journey {JourneyId} ignored", receipt.ConcernId, receipt.JourneyId);
            return;
        }

        var stream = await session.Events.FetchForWriting<ConcernConfirmation>(receipt.ConcernId, context.CancellationToken);
        var events = SafeguardingDecider.ConfirmReceipt(journey, stream.Aggregate, receipt.ConcernId, receipt.EscalationId, receipt.ReceivedAt,
            clock.GetUtcNow());
        if (events.Count > 0)
        {
            stream.AppendMany(events);
            ConcernConfirmationEffects.Apply(session, journey, stream.Aggregate, events, options.Value.ToPolicy());
        }
    }
}

public sealed class SafeguardingConcernReceivedConsumerDefinition(IOptions<MessagingOptions> options)
    : ReferralsConsumerDefinition<SafeguardingConcernReceivedConsumer>(options);

/// <summary>
/// A concern's confirmation check came due (support-plan's own durable timer). If triage has not confirmed the concern, the
/// concern's stream records it as unconfirmed (the team sees it on the journey and its timeline), the concern is sent to triage
/// again and the check is armed for the next round: a transient failure heals, a persistent one keeps being flagged.
/// </summary>
public sealed class SafeguardingConcernCheckDueConsumer(IDocumentStore store, TimeProvider clock, IOptions<SupportPlanOptions> options,
    ILogger<SafeguardingConcernCheckDueConsumer> logger) : IdempotentConsumer<Integration.SafeguardingConcernCheckDue>(store, logger)
{
    /// <summary>The programme of the round this delivery flagged (set by the handler, whose transaction may yet fail).</summary>
    private string? _flaggedIn;

    protected override async Task HandleAsync(IDocumentSession session, ConsumeContext<Integration.SafeguardingConcernCheckDue> context)
    {
        _flaggedIn = null;
        var due = context.Message;
        if (await session.LoadAsync<Journey>(due.JourneyId, context.CancellationToken) is not { } journey)
        {
            return;
        }

        var stream = await session.Events.FetchForWriting<ConcernConfirmation>(due.ConcernId, context.CancellationToken);
        var events = SafeguardingDecider.CheckConfirmation(journey, stream.Aggregate, due.ConcernId, due.Round, clock.GetUtcNow());
        if (events.Count == 0)
        {
            return;
        }

        stream.AppendMany(events);
        ConcernConfirmationEffects.Apply(session, journey, stream.Aggregate, events, options.Value.ToPolicy());
        _flaggedIn = journey.ProgrammeId;
    }

    /// <summary>
    /// The flag's counter and warning, once the round is committed: a save that failed and was retried counts once, and a
    /// redelivery (applied before) counts nothing.
    /// </summary>
    protected override Task FollowUpAsync(IDocumentSession session, ConsumeContext<Integration.SafeguardingConcernCheckDue> context, bool appliedNow)
    {
        if (appliedNow && _flaggedIn is { } programme)
        {
            var due = context.Message;
            SafeguardingMetrics.ConcernsUnconfirmed.Add(1, new KeyValuePair<string, object?>("programme", programme));
            // Ids only: nothing about the person or the concern's content.
            logger.LogWarning("Safeguarding concern {ConcernId} on journey {JourneyId} not confirmed by triage at check {Round}: flagged to the team and sent again",
                due.ConcernId, due.JourneyId, due.Round);
        }

        return Task.CompletedTask;
    }
}

public sealed class SafeguardingConcernCheckDueConsumerDefinition(IOptions<MessagingOptions> options)
    : ReferralsConsumerDefinition<SafeguardingConcernCheckDueConsumer>(options);

/// <summary>
/// What follows from a concern's confirmation events, in the same transaction: an unconfirmed round sends the concern again and
/// arms the next round's check; triage's confirmation cancels the check now pending.
/// </summary>
internal static class ConcernConfirmationEffects
{
    /// <param name="before">The concern's confirmation state before <paramref name="events"/> (null if its stream is new).</param>
    public static void Apply(IDocumentSession session, Journey journey, ConcernConfirmation? before, IReadOnlyList<object> events, JourneyPolicy policy)
    {
        foreach (var e in events)
        {
            switch (e)
            {
                case SafeguardingConcernUnconfirmed unconfirmed:
                    // The copy goes out from the concern's stream, not the journey's: if the journey's outbox is stuck on the
                    // first copy, this one does not wait behind it.
                    if (JourneyEffects.ResentConcern(journey, unconfirmed.ConcernId) is { } copy)
                    {
                        session.Outbox.Publish(copy, unconfirmed.ConcernId);
                    }

                    // The next round checks again, under a key of its own, after a longer wait.
                    JourneyEffects.ScheduleConcernCheck(session, journey, unconfirmed.ConcernId, unconfirmed.Round + 1,
                        unconfirmed.FlaggedAt + SafeguardingDecider.ConcernCheckWait(policy, unconfirmed.Round + 1));
                    break;
                case SafeguardingConcernConfirmed confirmed:
                    // The round now pending has nothing left to check.
                    session.Timers.Cancel(JourneyEffects.ConcernCheckTimerKey(confirmed.ConcernId, (before?.UnconfirmedChecks ?? 0) + 1));
                    break;
            }
        }
    }
}
