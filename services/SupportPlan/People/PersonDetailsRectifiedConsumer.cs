using MassTransit;
using Microsoft.Extensions.Options;
using Referrals.Contracts.Intake;
using Referrals.EventStore;
using Referrals.ServiceDefaults.Messaging;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.People;

/// <summary>Intake corrected the person's details: every journey of the person takes the corrected copy.</summary>
public sealed class PersonDetailsRectifiedConsumer(IDocumentStore store, TimeProvider clock, ILogger<PersonDetailsRectifiedConsumer> logger)
    : IdempotentConsumer<PersonDetailsRectified>(store, logger)
{
    protected override async Task HandleAsync(IDocumentSession session, ConsumeContext<PersonDetailsRectified> context)
    {
        var m = context.Message;
        var journeys = await session.QueryAsync<Journey>("person_id = ?", [m.PersonId], context.CancellationToken);
        foreach (var journey in journeys)
        {
            var stream = await session.Events.FetchForWriting<Journey>(journey.Id, context.CancellationToken);
            stream.AppendOne(new PersonDetailsUpdated(journey.Id, m.PersonId, m.Person, clock.GetUtcNow()));
        }
    }
}

public sealed class PersonDetailsRectifiedConsumerDefinition(IOptions<MessagingOptions> options)
    : ReferralsConsumerDefinition<PersonDetailsRectifiedConsumer>(options);
