using MassTransit;
using Microsoft.Extensions.Options;
using Referrals.Contracts.Intake;
using Referrals.Contracts.Triage;
using Referrals.EventStore;
using Referrals.Intake.Referrals;
using Referrals.ServiceDefaults.Messaging;

namespace Referrals.Intake.ConfirmingTriage;

/// <summary>
/// Triage's receipt for a linked referral (HAZ-001 C18): recorded on the referral for the linking it names, and the pending
/// check cancelled in the same transaction. A receipt for an earlier linking, or a second one, changes nothing.
/// </summary>
public sealed class LinkedReferralReceivedConsumer(IDocumentStore store, TimeProvider clock, ILogger<LinkedReferralReceivedConsumer> logger)
    : IdempotentConsumer<LinkedReferralReceived>(store, logger)
{
    protected override async Task HandleAsync(IDocumentSession session, ConsumeContext<LinkedReferralReceived> context)
    {
        var receipt = context.Message;
        var stream = await session.Events.FetchForWriting<Referral>(receipt.ReferralId, context.CancellationToken);
        if (stream.Aggregate is not { } referral)
        {
            logger.LogWarning("Triage's receipt for unknown linked referral {ReferralId} ignored", receipt.ReferralId);
            return;
        }

        var events = LinkedReferralReceiptDecider.Receipt(referral, receipt, clock.GetUtcNow());
        if (events.Count == 0)
        {
            return;
        }

        stream.AppendMany(events);
        LinkedReferralReceiptEffects.Received(session, referral);
    }
}

public sealed class LinkedReferralReceivedConsumerDefinition(IOptions<MessagingOptions> options)
    : ReferralsConsumerDefinition<LinkedReferralReceivedConsumer>(options);

/// <summary>
/// A linked referral's receipt check came due (intake's own durable timer). Still no receipt from triage: the referral's
/// stream records it as overdue, the linking is sent to triage again under its first MessageId and the next round is armed,
/// up to the last round allowed, which logs an error and is counted apart, as the triage confirmation check does (C10).
/// </summary>
public sealed class LinkedReferralReceiptCheckDueConsumer(IDocumentStore store, TimeProvider clock, IOptions<TriageConfirmationOptions> options,
    ILogger<LinkedReferralReceiptCheckDueConsumer> logger) : IdempotentConsumer<LinkedReferralReceiptCheckDue>(store, logger)
{
    /// <summary>The round this delivery flagged (set by the handler, whose transaction may yet fail).</summary>
    private (LinkedReferralTriageReceiptOverdue Flag, string Programme)? _flagged;

    protected override async Task HandleAsync(IDocumentSession session, ConsumeContext<LinkedReferralReceiptCheckDue> context)
    {
        _flagged = null;
        var due = context.Message;
        var stream = await session.Events.FetchForWriting<Referral>(due.ReferralId, context.CancellationToken);
        if (stream.Aggregate is not { } referral)
        {
            return;
        }

        var events = LinkedReferralReceiptDecider.Check(referral, due, clock.GetUtcNow(), options.Value);
        if (events.Count == 0)
        {
            return;
        }

        stream.AppendMany(events);
        var flagged = events.OfType<LinkedReferralTriageReceiptOverdue>().Single();
        LinkedReferralReceiptEffects.Resend(session, referral, due);
        if (LinkedReferralReceiptDecider.NextCheck(due, flagged, options.Value) is { } next)
        {
            LinkedReferralReceiptEffects.Schedule(session, next);
        }

        _flagged = (flagged, referral.ProgrammeId);
    }

    /// <summary>
    /// Counted on C10's counters (tag <c>kind</c> = <c>linked-referral</c>), so an alert set on them covers both, once the round
    /// is committed. Ids only: nothing about the person or what the referral said.
    /// </summary>
    protected override Task FollowUpAsync(IDocumentSession session, ConsumeContext<LinkedReferralReceiptCheckDue> context, bool appliedNow)
    {
        if (appliedNow && _flagged is var (flag, programme))
        {
            TriageConfirmationMetrics.Flagged(programme, TriageConfirmationMetrics.LinkedReferral, flag.FinalCheck);
            logger.LogWarning("Linked referral {ReferralId} (journey {JourneyId}) has no receipt from triage at check {Round}: flagged and sent to triage again",
                flag.ReferralId, flag.JourneyId, flag.Round);
            if (flag.FinalCheck)
            {
                logger.LogError("Linked referral {ReferralId} (journey {JourneyId}) still has no receipt from triage after {Rounds} checks: no further check; see triage's error queue",
                    flag.ReferralId, flag.JourneyId, flag.Round);
            }
        }

        return Task.CompletedTask;
    }
}

public sealed class LinkedReferralReceiptCheckDueConsumerDefinition(IOptions<MessagingOptions> options)
    : ReferralsConsumerDefinition<LinkedReferralReceiptCheckDueConsumer>(options);
