using MassTransit;
using Microsoft.Extensions.Options;
using Referrals.Contracts.Intake;
using Referrals.EventStore;
using Referrals.Intake.Auditing;
using Referrals.Intake.Erasure;
using Referrals.Intake.ExecutingErasure;
using Referrals.Intake.Referrals;
using Referrals.Intake.RequestingErasure;
using Referrals.Intake.ReviewingErasure;
using Referrals.ServiceDefaults.Messaging;

namespace Referrals.Intake.Retention;

/// <summary>
/// A record's retention timer fired. When every record of the person is past its period, the person is erased through the
/// erasure workflow (requested and approved by the retention policy, then executed), so every service shreds. The erasure
/// request's stream id is derived from the person, so two timers firing together erase once: the second collides, is
/// retried, and finds the person erased.
/// </summary>
public sealed class RetentionPeriodEndedConsumer(
    IDocumentStore store,
    ErasureExecutor executor,
    DataProtectionAudit audit,
    BlindIndex index,
    IOptions<RetentionOptions> options,
    TimeProvider time,
    ILogger<RetentionPeriodEndedConsumer> logger) : IdempotentConsumer<RetentionPeriodEnded>(store, logger)
{
    public static Guid ErasureRequestIdFor(BlindIndex index, Guid personId) => index.ComputeGuid("retention-erasure", personId.ToString("D"));

    protected override async Task HandleAsync(IDocumentSession session, ConsumeContext<RetentionPeriodEnded> context)
    {
        var m = context.Message;
        var ct = context.CancellationToken;
        // An executed erasure (by this policy or by review) settles it. A person shredded without one (a failed commit after the
        // shred) is executed again, so the other services are still told.
        var executed = await session.QueryAsync<ErasureRequest>("person_id = ? and data->>'state' = ?", [m.PersonId, nameof(ErasureState.Executed)], ct);
        if (executed.Count > 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        var referrals = await session.QueryAsync<Referral>("person_id = ?", [m.PersonId], ct);
        if (RetentionDecider.Decide(referrals, options.Value, now) == RetentionVerdict.Deferred)
        {
            audit.Record(session, m.PersonId, DataProtectionStep.RetentionDeferred, DataProtectionAudit.SystemActor, now, outcome: m.RecordKind);
            if (RetentionDecider.NextCheck(referrals, options.Value, now) is var (last, at))
            {
                var kind = RetentionDecider.KindOf(last);
                session.Timers.Schedule($"retention:next:{m.PersonId}:{at.UtcTicks}", at,
                    new RetentionPeriodEnded(last.Id, m.PersonId, kind.ToString()), last.Id);
            }

            return;
        }

        var id = ErasureRequestIdFor(index, m.PersonId);
        var requested = new ErasureRequested(id, m.PersonId, ErasureOrigin.Retention, ErasureGround.RetentionPeriodEnded,
            DataProtectionAudit.SystemActor, now);
        var approved = new ErasureApproved(id, m.PersonId, DataProtectionAudit.SystemActor,
            $"The retention period of the person's {m.RecordKind} records ended.", now);
        var request = ErasureRequest.Create(requested).Apply(approved);
        audit.Record(session, m.PersonId, DataProtectionStep.RetentionPeriodEnded, DataProtectionAudit.SystemActor, now, id, m.RecordKind);
        var execution = await executor.ExecuteAsync(session, request, DataProtectionAudit.SystemActor, now, ct);
        session.Events.StartStream<ErasureRequest>(id, [requested, approved, .. execution]);
        logger.LogInformation("Retention ended for a person's records; erasure {ErasureRequestId} executed", id);
    }
}

public sealed class RetentionPeriodEndedConsumerDefinition(IOptions<MessagingOptions> options)
    : ReferralsConsumerDefinition<RetentionPeriodEndedConsumer>(options);
