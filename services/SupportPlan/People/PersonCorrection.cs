using Referrals.Contracts;
using Referrals.EventStore;
using Referrals.SharedKernel;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.People;

/// <summary>Intake corrected the person's details; kept on the person's correction stream, whether or not a journey exists yet.</summary>
public sealed record PersonCorrectionReceived(
    Guid PersonId,
    [property: PersonalData] PersonDetails? Person,
    EventSource? Source,
    DateTimeOffset RectifiedAt,
    DateTimeOffset ReceivedAt) : ISupportPlanEvent;

/// <summary>
/// The latest correction of a person's details that support-plan has received, one stream per person. It outlives the
/// journeys that existed when it arrived: a journey registered later takes it too, when intake made it at or after that
/// journey's referral was submitted (a referral submitted later carries details at least as new).
/// </summary>
public sealed record PersonCorrection(Guid Id, Guid PersonId, PersonDetails? Person, EventSource? Source, DateTimeOffset RectifiedAt)
{
    public static Guid StreamIdFor(Guid personId) => NameBasedGuid.Create("person-correction\n" + personId.ToString("N"));

    public static PersonCorrection Create(PersonCorrectionReceived e) =>
        new(StreamIdFor(e.PersonId), e.PersonId, e.Person, e.Source, e.RectifiedAt);

    public PersonCorrection Apply(PersonCorrectionReceived e) =>
        IsSupersededBy(e.Source, e.RectifiedAt) ? this with { Person = e.Person, Source = e.Source, RectifiedAt = e.RectifiedAt } : this;

    /// <summary>Whether a correction is newer than this one: by version on the same intake stream, otherwise by intake's time.</summary>
    public bool IsSupersededBy(EventSource? source, DateTimeOffset rectifiedAt) =>
        source is { } s && Source is { } known && s.StreamId == known.StreamId ? s.Version > known.Version : rectifiedAt > RectifiedAt;

    /// <summary>
    /// Whether the journey should take this correction: the details are still held (not erased), intake made it at or after
    /// the journey's current referral was submitted, and the journey holds no correction from the same or a later version.
    /// </summary>
    public bool AppliesTo(Journey journey) =>
        Person is not null && RectifiedAt >= journey.Referral.SubmittedAt && PersonDetailsUpdated.Supersedes(journey, Source);
}

/// <summary>Gives the person's journeys the latest correction of their details, where it applies.</summary>
public static class PersonCorrections
{
    public static async Task ApplyAsync(IDocumentSession session, Guid personId, DateTimeOffset now, CancellationToken ct)
    {
        var correction = await session.Events.AggregateStreamAsync<PersonCorrection>(PersonCorrection.StreamIdFor(personId), ct: ct);
        if (correction is not null)
        {
            await ApplyAsync(session, correction, now, ct);
        }
    }

    public static async Task ApplyAsync(IDocumentSession session, PersonCorrection correction, DateTimeOffset now, CancellationToken ct)
    {
        var journeys = await session.QueryAsync<Journey>("person_id = ?", [correction.PersonId], ct);
        foreach (var journey in journeys.Where(correction.AppliesTo))
        {
            // The snapshot may be behind: decide again on the stream, whose version also guards the append.
            var stream = await session.Events.FetchForWriting<Journey>(journey.Id, ct);
            if (stream.Aggregate is { } current && correction.AppliesTo(current))
            {
                stream.AppendOne(new PersonDetailsUpdated(journey.Id, correction.PersonId, correction.Person, now)
                {
                    Source = correction.Source,
                    RectifiedAt = correction.RectifiedAt,
                });
            }
        }
    }
}
