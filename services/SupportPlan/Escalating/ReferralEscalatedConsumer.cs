using MassTransit;
using Microsoft.Extensions.Options;
using Referrals.Contracts.Triage;
using Referrals.EventStore;
using Referrals.ServiceDefaults.Messaging;
using Referrals.SupportPlan.Registering;

namespace Referrals.SupportPlan.Escalating;

/// <summary>
/// Triage escalated a referral (one message per recipient of each step of its duty chain): the referral's journey, and so
/// the worker's caseload and the team lead's lists, show it urgent and escalated (see <see cref="EscalationDecider"/>). Kept
/// on the referral's stream first, as an override is, so an escalation that arrives before the journey is registered is
/// applied as soon as it is; the further steps of the same escalation carry the same version and add nothing. A message
/// without the referral's tier, priority and version (sent by triage before it added them, or a linked referral's referrer's
/// notice, which names the referral they sent) changes nothing here: support-plan does not guess them, and the journey
/// follows triage's next decision or override of the referral. Either way, a duty worker recipient is recorded as asked about
/// the referral (<see cref="DutyWorkerReads"/>, HAZ-001 C15), so that they can read its journey.
/// </summary>
public sealed class ReferralEscalatedConsumer(IDocumentStore store, ReferralProcessor processor, TimeProvider clock,
    ILogger<ReferralEscalatedConsumer> logger)
    : IdempotentConsumer<ReferralEscalated>(store, logger)
{
    protected override async Task HandleAsync(IDocumentSession session, ConsumeContext<ReferralEscalated> context)
    {
        var m = context.Message;
        await RecordAskedAsync(session, m, context.CancellationToken);
        if (m is not { RequiredTier: { } tier, Priority: { } priority, ReferralVersion: { } version })
        {
            logger.LogInformation("Escalation {EscalationId} step {Step} carries no tier, priority or referral version; the journey is left as it is",
                m.EscalationId, m.Step);
            return;
        }

        // Not the indicators or the statement: they stay with triage's duty chain.
        await processor.RecordAsync(session, m.ReferralId, new EscalationReceived(m.ReferralId, m.PersonId, m.EscalationId, tier, priority,
            m.EscalatedAt, version), context.CancellationToken);
    }

    /// <summary>
    /// Once per (escalation, worker): a redelivery is skipped by the inbox, and another message for the same pair (a later round,
    /// a competing consumer) finds the stream, or conflicts on creating it and retries to find it.
    /// </summary>
    private async Task RecordAskedAsync(IDocumentSession session, ReferralEscalated m, CancellationToken ct)
    {
        if (m.RecipientKind != EscalationRecipientKind.DutyWorker || string.IsNullOrWhiteSpace(m.RecipientId))
        {
            return;
        }

        var stream = await session.Events.FetchForWriting<DutyReadGrant>(DutyWorkerReads.GrantIdFor(m.EscalationId, m.RecipientId), ct);
        var asked = DutyWorkerReads.Ask(stream.Aggregate, m, clock.GetUtcNow());
        if (asked.Count > 0)
        {
            stream.AppendMany(asked);
            logger.LogInformation("Escalation {EscalationId} step {Step}: the duty worker may read the referral's journey", m.EscalationId, m.Step);
        }
    }
}

public sealed class ReferralEscalatedConsumerDefinition(IOptions<MessagingOptions> options)
    : ReferralsConsumerDefinition<ReferralEscalatedConsumer>(options);
