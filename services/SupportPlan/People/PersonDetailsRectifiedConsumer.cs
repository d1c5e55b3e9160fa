using MassTransit;
using Microsoft.Extensions.Options;
using Referrals.Contracts.Intake;
using Referrals.EventStore;
using Referrals.ServiceDefaults.Messaging;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.People;

/// <summary>
/// Intake corrected the person's details. The correction is kept on the person's correction stream (an older one arriving
/// late, e.g. after a retry, changes nothing) and every journey of the person takes it, unless the journey's referral was
/// submitted after it or the journey already holds a later one. A correction that overtakes the registration of the
/// person's journey is not lost: the registering consumer applies it once its registration commits. Each side looks for
/// the other only after its own commit, so whichever commits second sees the first.
/// </summary>
public sealed class PersonDetailsRectifiedConsumer(IDocumentStore store, TimeProvider clock, ILogger<PersonDetailsRectifiedConsumer> logger)
    : IdempotentConsumer<PersonDetailsRectified>(store, logger)
{
    protected override async Task HandleAsync(IDocumentSession session, ConsumeContext<PersonDetailsRectified> context)
    {
        var m = context.Message;
        var stream = await session.Events.FetchForWriting<PersonCorrection>(PersonCorrection.StreamIdFor(m.PersonId), context.CancellationToken);
        if (stream.Aggregate is { } kept && !kept.IsSupersededBy(m.Source, m.RectifiedAt))
        {
            logger.LogInformation("Ignored a correction older than the one kept for the person");
            return;
        }

        var received = new PersonCorrectionReceived(m.PersonId, m.Person, m.Source, m.RectifiedAt, clock.GetUtcNow());
        stream.AppendOne(received);
        await PersonCorrections.ApplyAsync(session, Fold.Apply(stream.Aggregate, [received])!, clock.GetUtcNow(), context.CancellationToken);
    }

    /// <summary>Journeys registered while the correction was being kept take it now.</summary>
    protected override Task FollowUpAsync(IDocumentSession session, ConsumeContext<PersonDetailsRectified> context, bool appliedNow) =>
        PersonCorrections.ApplyAsync(session, context.Message.PersonId, clock.GetUtcNow(), context.CancellationToken);
}

public sealed class PersonDetailsRectifiedConsumerDefinition(IOptions<MessagingOptions> options)
    : ReferralsConsumerDefinition<PersonDetailsRectifiedConsumer>(options);
