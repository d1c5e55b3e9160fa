using MassTransit;
using Microsoft.Extensions.Options;
using Referrals.Contracts.Intake;
using Referrals.EventStore;
using Referrals.ServiceDefaults.DataProtection;
using Referrals.ServiceDefaults.Messaging;

namespace Referrals.SupportPlan.People;

/// <summary>
/// An approved erasure: support-plan shreds its copy of the person's personal data by destroying their key. Every personal
/// field (details, what matters, goal wording, notes, timeline details) then reads as empty; the journey's structure stays.
/// </summary>
public sealed class PersonErasedConsumer(IDocumentStore store, DocumentStore documents, DeadLetterShredder deadLetters,
    ILogger<PersonErasedConsumer> logger) : IdempotentConsumer<PersonErased>(store, logger)
{
    protected override async Task HandleAsync(IDocumentSession session, ConsumeContext<PersonErased> context)
    {
        // Both steps are idempotent: a replayed erasure changes nothing.
        await documents.ErasePersonAsync(context.Message.PersonId, context.CancellationToken);
        await deadLetters.ShredAsync(context.Message.PersonId, context.CancellationToken);
        logger.LogInformation("Erased a person's personal data (erasure request {ErasureRequestId})", context.Message.ErasureRequestId);
    }
}

public sealed class PersonErasedConsumerDefinition(IOptions<MessagingOptions> options) : ReferralsConsumerDefinition<PersonErasedConsumer>(options);
