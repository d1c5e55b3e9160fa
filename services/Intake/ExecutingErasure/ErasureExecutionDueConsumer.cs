using MassTransit;
using Microsoft.Extensions.Options;
using Referrals.Contracts.Intake;
using Referrals.EventStore;
using Referrals.Intake.Erasure;
using Referrals.ServiceDefaults.Messaging;

namespace Referrals.Intake.ExecutingErasure;

/// <summary>
/// The approval's durable timer fired: the approved request is executed once. The approval and this timer commit together,
/// so an approved request is always executed, even across a restart; a replay finds it executed and does nothing.
/// </summary>
public sealed class ErasureExecutionDueConsumer(IDocumentStore store, ErasureExecutor executor, TimeProvider time,
    ILogger<ErasureExecutionDueConsumer> logger) : IdempotentConsumer<ErasureExecutionDue>(store, logger)
{
    protected override async Task HandleAsync(IDocumentSession session, ConsumeContext<ErasureExecutionDue> context)
    {
        var stream = await session.Events.FetchForWriting<ErasureRequest>(context.Message.ErasureRequestId, context.CancellationToken);
        if (stream.Aggregate is not { } request)
        {
            return;
        }

        var events = await executor.ExecuteAsync(session, request, request.ReviewedBy ?? "unknown", time.GetUtcNow(), context.CancellationToken);
        stream.AppendMany(events);
        if (events.Count > 0)
        {
            logger.LogInformation("Executed erasure request {ErasureRequestId}", request.Id);
        }
    }
}

public sealed class ErasureExecutionDueConsumerDefinition(IOptions<MessagingOptions> options)
    : ReferralsConsumerDefinition<ErasureExecutionDueConsumer>(options);
