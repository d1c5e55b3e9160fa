using System.Text.Json.Serialization;
using Referrals.EventStore;
using Referrals.SharedKernel;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.GpRecords;

/// <summary>
/// GP-records parked a delivery of the journey (it kept failing or the practice's system rejected it): its entries, and every
/// later one of the journey, wait for a programme admin to replay it. Ids and times only: the practice's error text is not kept.
/// </summary>
public sealed record GpRecordDeliveryParkedRecorded(Guid JourneyId, Guid DeliveryId, Guid PersonId, string PracticeOds, DateTimeOffset ParkedAt,
    DateTimeOffset RecordedAt) : ISupportPlanEvent;

/// <summary>
/// GP-records reported a delivery of the journey accepted by the practice's system (a replayed one, or a later one, which is
/// only sent once whatever was parked before it is done).
/// </summary>
public sealed record GpRecordDeliveryAcceptedRecorded(Guid JourneyId, Guid DeliveryId, string PracticeOds, DateTimeOffset AcceptedAt,
    DateTimeOffset RecordedAt) : ISupportPlanEvent;

/// <summary>A parked delivery the practice has still not accepted.</summary>
public sealed record ParkedGpDelivery(Guid DeliveryId, string PracticeOds, DateTimeOffset ParkedAt);

/// <summary>
/// Whether the person's GP record is behind the journey: the aggregate of a stream of its own (id derived from the journey's) and
/// its inline document. Kept off the journey's stream, like the concerns' confirmation (HAZ-001 C7), so a report from gp-records
/// never changes the journey's version (its ETag) under a worker's feet; and kept whether or not support-plan holds the journey
/// yet, so a report that comes first is not lost.
/// </summary>
public sealed record GpRecordDelivery
{
    /// <summary>The stream's id (see <see cref="StreamIdFor"/>).</summary>
    public Guid Id { get; init; }

    public long Version { get; set; }

    public Guid JourneyId { get; init; }

    /// <summary>Parked deliveries the practice has not accepted since, oldest first.</summary>
    public IReadOnlyList<ParkedGpDelivery> Parked { get; init; } = [];

    /// <summary>When gp-records last reported a delivery of the journey accepted (by its clock).</summary>
    public DateTimeOffset? LastAcceptedAt { get; init; }

    /// <summary>A delivery is parked: the practice has not been sent the journey's latest entries.</summary>
    [JsonIgnore]
    public bool NotYetInGpRecord => Parked.Count > 0;

    public static Guid StreamIdFor(Guid journeyId) => NameBasedGuid.Create("gp-record-delivery\n" + journeyId.ToString("N"));

    public static GpRecordDelivery Create(GpRecordDeliveryParkedRecorded e) => new GpRecordDelivery { Id = StreamIdFor(e.JourneyId), JourneyId = e.JourneyId }.Apply(e);

    public static GpRecordDelivery Create(GpRecordDeliveryAcceptedRecorded e) => new GpRecordDelivery { Id = StreamIdFor(e.JourneyId), JourneyId = e.JourneyId }.Apply(e);

    // gp-records sends a journey's deliveries strictly in order and none while one is parked, so a delivery accepted after a
    // park means that park is over (replayed and accepted, or withheld). Times, not arrival order, decide: the two reports
    // come on separate queues and may arrive either way round.
    public GpRecordDelivery Apply(GpRecordDeliveryParkedRecorded e) => e.ParkedAt <= LastAcceptedAt
        ? this
        : this with
        {
            Parked = [.. Parked.Where(p => p.DeliveryId != e.DeliveryId).Append(new ParkedGpDelivery(e.DeliveryId, e.PracticeOds, e.ParkedAt))
                .OrderBy(p => p.ParkedAt)],
        };

    public GpRecordDelivery Apply(GpRecordDeliveryAcceptedRecorded e) => e.AcceptedAt <= LastAcceptedAt
        ? this
        : this with { LastAcceptedAt = e.AcceptedAt, Parked = [.. Parked.Where(p => p.ParkedAt > e.AcceptedAt)] };

    /// <summary>The journey's GP delivery state, or null while gp-records has reported nothing parked or accepted.</summary>
    public static Task<GpRecordDelivery?> OfAsync(IQuerySession session, Guid journeyId, CancellationToken ct) =>
        session.LoadAsync<GpRecordDelivery>(StreamIdFor(journeyId), ct);

    /// <summary>The GP delivery state of the journeys, by journey id (a journey with none reported is absent).</summary>
    public static async Task<IReadOnlyDictionary<Guid, GpRecordDelivery>> OfAsync(IQuerySession session, IEnumerable<Journey> journeys, CancellationToken ct)
    {
        var ids = journeys.Select(j => (object)StreamIdFor(j.Id)).ToList();
        if (ids.Count == 0)
        {
            return new Dictionary<Guid, GpRecordDelivery>();
        }

        var found = await session.LoadManyAsync<GpRecordDelivery>(ids, ct);
        return found.ToDictionary(d => d.JourneyId);
    }
}

/// <summary>Pure rules: what a report from gp-records adds to the journey's GP delivery state (nothing when it adds nothing).</summary>
public static class GpRecordDeliveryDecider
{
    /// <summary>A parked delivery is recorded once: not again for a copy, nor when a later acceptance already covers it.</summary>
    public static IReadOnlyList<object> Parked(GpRecordDelivery? state, Guid journeyId, Guid deliveryId, Guid personId, string practiceOds,
        DateTimeOffset parkedAt, DateTimeOffset now) =>
        parkedAt <= state?.LastAcceptedAt || state?.Parked.Any(p => p.DeliveryId == deliveryId && p.ParkedAt >= parkedAt) == true
            ? []
            : [new GpRecordDeliveryParkedRecorded(journeyId, deliveryId, personId, practiceOds, parkedAt, now)];

    /// <summary>An acceptance is recorded when it is the latest gp-records has reported for the journey.</summary>
    public static IReadOnlyList<object> Accepted(GpRecordDelivery? state, Guid journeyId, Guid deliveryId, string practiceOds,
        DateTimeOffset acceptedAt, DateTimeOffset now) =>
        acceptedAt <= state?.LastAcceptedAt
            ? []
            : [new GpRecordDeliveryAcceptedRecorded(journeyId, deliveryId, practiceOds, acceptedAt, now)];
}
