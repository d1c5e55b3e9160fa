using MassTransit;
using Microsoft.Extensions.Logging;
using Referrals.EventStore;

namespace Referrals.ServiceDefaults.Messaging;

/// <summary>
/// A consumer whose effects are applied at most once per message: the inbox claim, the events it appends, the documents it
/// writes and the messages it publishes all commit in one transaction. A redelivered duplicate finds its claim and is skipped.
/// An optional follow-up then runs in a transaction of its own, after those effects are committed.
/// </summary>
public abstract class IdempotentConsumer<TMessage>(IDocumentStore store, ILogger logger) : IConsumer<TMessage> where TMessage : class
{
    /// <summary>Stable name under which the inbox records this consumer's messages.</summary>
    protected virtual string InboxName => GetType().Name;

    /// <summary>The tenant (programme) whose session handles the message; the default tenant unless overridden.</summary>
    protected virtual string? TenantOf(TMessage message) => null;

    public async Task Consume(ConsumeContext<TMessage> context)
    {
        var appliedNow = await HandleOnceAsync(context);
        await using var session = store.LightweightSession(TenantOf(context.Message));
        await FollowUpAsync(session, context, appliedNow);
        await session.SaveChangesAsync(context.CancellationToken);
    }

    /// <summary>True when this delivery applied the message; false when an earlier delivery had.</summary>
    private async Task<bool> HandleOnceAsync(ConsumeContext<TMessage> context)
    {
        var messageId = context.MessageId ?? throw new InvalidOperationException("A message without a MessageId cannot be deduplicated.");
        await using var session = store.LightweightSession(TenantOf(context.Message));
        if (!await session.Inbox.TryClaimAsync(InboxName, messageId, context.CancellationToken))
        {
            logger.LogInformation("Skipped duplicate {MessageType} {MessageId} in {Consumer}", typeof(TMessage).Name, messageId, InboxName);
            return false;
        }

        await HandleAsync(session, context);
        await session.SaveChangesAsync(context.CancellationToken);
        return true;
    }

    protected abstract Task HandleAsync(IDocumentSession session, ConsumeContext<TMessage> context);

    /// <summary>
    /// Work that follows the message's committed effects, saved in its own session. It runs for a skipped duplicate too,
    /// so a crash between the two transactions redelivers the message and the follow-up is not lost; it must therefore be
    /// idempotent. <paramref name="appliedNow"/> is false when an earlier delivery applied the message (a redelivery, a
    /// retry after a failed follow-up, a replay): that follow-up may have been cut short, so anything it would not find
    /// left to do by itself must be redone. None by default.
    /// </summary>
    protected virtual Task FollowUpAsync(IDocumentSession session, ConsumeContext<TMessage> context, bool appliedNow) => Task.CompletedTask;
}

/// <summary>
/// A message arrived before one it depends on (e.g. a withdrawal before its submission). Thrown to let the retry policy try
/// again shortly; once the retries are spent the message waits and comes back (<see cref="OutOfOrderWaitingRoom"/>), and
/// if the gap never closes it lands in the error queue where operators can see it.
/// </summary>
public sealed class MessageOutOfOrderException(string message) : Exception(message);
