using Referrals.Contracts.SupportPlan;
using Referrals.EventStore;

namespace Referrals.GpRecords.Journeys;

/// <summary>
/// The registered journeys of a person (id = PersonId): when their details arrive late, these are produced. It also lists
/// the notice journey of each referral whose practice notices were released without a journey
/// (<see cref="HeldNoticesReleased"/>), so that a move of practice and an erasure reach their deliveries as any journey's.
/// </summary>
public sealed class PersonJourneysDocument
{
    public Guid Id { get; set; }

    public List<Guid> JourneyIds { get; set; } = [];
}

public sealed class PersonJourneysProjection : MultiStreamProjection<PersonJourneysDocument, Guid>
{
    public PersonJourneysProjection()
    {
        Identity<JourneyRegistered>(e => e.PersonId);
        Identity<HeldNoticesReleased>(e => e.PersonId);
    }

    public PersonJourneysDocument Create(JourneyRegistered e) => new() { Id = e.PersonId, JourneyIds = [e.JourneyId] };

    public PersonJourneysDocument Apply(JourneyRegistered e, PersonJourneysDocument doc) => Add(doc, e.JourneyId);

    public PersonJourneysDocument Create(HeldNoticesReleased e) => new() { Id = e.PersonId, JourneyIds = [e.NoticeJourneyId] };

    public PersonJourneysDocument Apply(HeldNoticesReleased e, PersonJourneysDocument doc) => Add(doc, e.NoticeJourneyId);

    private static PersonJourneysDocument Add(PersonJourneysDocument doc, Guid journeyId)
    {
        if (!doc.JourneyIds.Contains(journeyId))
        {
            doc.JourneyIds.Add(journeyId);
        }

        return doc;
    }
}
