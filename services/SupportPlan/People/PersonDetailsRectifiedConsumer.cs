using MassTransit;
using Microsoft.Extensions.Options;
using Referrals.Contracts.Intake;
using Referrals.EventStore;
using Referrals.ServiceDefaults.Messaging;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.People;

/// <summary>
/// Intake corrected the person's details: every journey of the person takes the corrected copy, unless it already holds a
/// later correction (an older one arriving late, e.g. after a retry, is ignored). Intake corrects only people it has
/// referred, and each referral reaches support-plan too: a correction that finds no journey of the person overtook the
/// referral's registration, and is retried until the journey exists (else the journey would keep the details referred).
/// </summary>
public sealed class PersonDetailsRectifiedConsumer(IDocumentStore store, TimeProvider clock, ILogger<PersonDetailsRectifiedConsumer> logger)
    : IdempotentConsumer<PersonDetailsRectified>(store, logger)
{
    protected override async Task HandleAsync(IDocumentSession session, ConsumeContext<PersonDetailsRectified> context)
    {
        var m = context.Message;
        var journeys = await session.QueryAsync<Journey>("person_id = ?", [m.PersonId], context.CancellationToken);
        if (journeys.Count == 0)
        {
            throw new MessageOutOfOrderException("Details rectified for a person whose journey support-plan has not registered yet.");
        }

        foreach (var journey in journeys)
        {
            var stream = await session.Events.FetchForWriting<Journey>(journey.Id, context.CancellationToken);
            if (stream.Aggregate is { } current && !PersonDetailsUpdated.Supersedes(current, m.Source))
            {
                logger.LogInformation("Ignored an older rectification for journey {JourneyId}", journey.Id);
                continue;
            }

            stream.AppendOne(new PersonDetailsUpdated(journey.Id, m.PersonId, m.Person, clock.GetUtcNow()) { Source = m.Source, RectifiedAt = m.RectifiedAt });
        }
    }
}

public sealed class PersonDetailsRectifiedConsumerDefinition(IOptions<MessagingOptions> options)
    : ReferralsConsumerDefinition<PersonDetailsRectifiedConsumer>(options);
