using Referrals.Contracts.SupportPlan;
using Referrals.EventStore;

namespace Referrals.GpRecords.Journeys;

/// <summary>The registered journeys of a person (id = PersonId): when their details arrive late, these are produced.</summary>
public sealed class PersonJourneysDocument
{
    public Guid Id { get; set; }

    public List<Guid> JourneyIds { get; set; } = [];
}

public sealed class PersonJourneysProjection : MultiStreamProjection<PersonJourneysDocument, Guid>
{
    public PersonJourneysProjection() => Identity<JourneyRegistered>(e => e.PersonId);

    public PersonJourneysDocument Create(JourneyRegistered e) => new() { Id = e.PersonId, JourneyIds = [e.JourneyId] };

    public PersonJourneysDocument Apply(JourneyRegistered e, PersonJourneysDocument doc)
    {
        if (!doc.JourneyIds.Contains(e.JourneyId))
        {
            doc.JourneyIds.Add(e.JourneyId);
        }

        return doc;
    }
}
