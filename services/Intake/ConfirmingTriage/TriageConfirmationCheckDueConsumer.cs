using MassTransit;
using Microsoft.Extensions.Options;
using Referrals.Contracts.Intake;
using Referrals.EventStore;
using Referrals.Intake.Referrals;
using Referrals.ServiceDefaults.Messaging;

namespace Referrals.Intake.ConfirmingTriage;

/// <summary>
/// A referral's triage confirmation check came due (intake's own durable timer). Still not triaged, the referral's stream
/// records it as overdue, the referral is sent to triage again under its first MessageId and the next round is armed, up to
/// the last round allowed: a lost or parked submission heals, a lasting failure keeps being flagged, then is left to people.
/// </summary>
public sealed class TriageConfirmationCheckDueConsumer(IDocumentStore store, TimeProvider clock, IOptions<TriageConfirmationOptions> options,
    ILogger<TriageConfirmationCheckDueConsumer> logger) : IdempotentConsumer<TriageConfirmationCheckDue>(store, logger)
{
    /// <summary>The round this delivery flagged (set by the handler, whose transaction may yet fail).</summary>
    private (ReferralTriageConfirmationOverdue Flag, string Programme)? _flagged;

    protected override async Task HandleAsync(IDocumentSession session, ConsumeContext<TriageConfirmationCheckDue> context)
    {
        _flagged = null;
        var due = context.Message;
        var stream = await session.Events.FetchForWriting<Referral>(due.ReferralId, context.CancellationToken);
        if (stream.Aggregate is not { } referral)
        {
            return;
        }

        var events = TriageConfirmationDecider.Check(referral, due.Round, clock.GetUtcNow(), options.Value);
        if (events.Count == 0)
        {
            return;
        }

        stream.AppendMany(events);
        var flagged = events.OfType<ReferralTriageConfirmationOverdue>().Single();
        TriageConfirmationEffects.Resend(session, referral);
        if (TriageConfirmationDecider.NextCheck(referral, flagged, options.Value) is { } next)
        {
            TriageConfirmationEffects.Schedule(session, next);
        }

        _flagged = (flagged, referral.ProgrammeId);
    }

    /// <summary>
    /// The flag's counters and log lines, once the round is committed: a save that failed and was retried counts once, and a
    /// redelivery (applied before) counts nothing. Ids only: nothing about the person.
    /// </summary>
    protected override Task FollowUpAsync(IDocumentSession session, ConsumeContext<TriageConfirmationCheckDue> context, bool appliedNow)
    {
        if (appliedNow && _flagged is var (flag, programme))
        {
            TriageConfirmationMetrics.Flagged(programme, TriageConfirmationMetrics.Submission, flag.FinalCheck);
            logger.LogWarning("Referral {ReferralId} not triaged at triage confirmation check {Round}: flagged and sent to triage again",
                flag.ReferralId, flag.Round);
            if (flag.FinalCheck)
            {
                logger.LogError("Referral {ReferralId} still not triaged after {Rounds} triage confirmation checks: no further check; see triage's error queue",
                    flag.ReferralId, flag.Round);
            }
        }

        return Task.CompletedTask;
    }
}

public sealed class TriageConfirmationCheckDueConsumerDefinition(IOptions<MessagingOptions> options)
    : ReferralsConsumerDefinition<TriageConfirmationCheckDueConsumer>(options);
