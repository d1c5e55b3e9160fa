using System.Text.Json.Serialization;
using Referrals.EventStore;
using Referrals.SharedKernel;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.GpRecords;

/// <summary>
/// GP-records parked a delivery of the journey (it kept failing or the practice's system rejected it): its entries, and every
/// later one of the journey, wait for a programme admin to replay it. Ids, its place in the journey's queue and times only: the
/// practice's error text is not kept. <see cref="Sequence"/> is null when gp-records did not send it (older messages).
/// </summary>
public sealed record GpRecordDeliveryParkedRecorded(Guid JourneyId, Guid DeliveryId, Guid PersonId, string PracticeOds, DateTimeOffset ParkedAt,
    DateTimeOffset RecordedAt) : ISupportPlanEvent
{
    public int? Sequence { get; init; }
}

/// <summary>
/// GP-records reported a delivery of the journey accepted by the practice's system (a replayed one, or a later one, which is
/// only sent once whatever was parked before it is done). <see cref="Sequence"/> as for a park.
/// </summary>
public sealed record GpRecordDeliveryAcceptedRecorded(Guid JourneyId, Guid DeliveryId, string PracticeOds, DateTimeOffset AcceptedAt,
    DateTimeOffset RecordedAt) : ISupportPlanEvent
{
    public int? Sequence { get; init; }
}

/// <summary>
/// GP-records withheld a delivery of the journey it had reported parked (consent, a move or widening that superseded it, the
/// person's erasure): nothing more of it will be sent, so it no longer holds the journey back. The reason is a category only.
/// </summary>
public sealed record GpRecordDeliveryWithheldRecorded(Guid JourneyId, Guid DeliveryId, int Sequence, string ReasonCategory, DateTimeOffset WithheldAt,
    DateTimeOffset RecordedAt) : ISupportPlanEvent;

/// <summary>A parked delivery the practice has still not accepted (<see cref="Sequence"/> null from older messages).</summary>
public sealed record ParkedGpDelivery(Guid DeliveryId, string PracticeOds, DateTimeOffset ParkedAt, int? Sequence = null);

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

    /// <summary>Parked deliveries the practice has not accepted since, and gp-records has not withheld, oldest first.</summary>
    public IReadOnlyList<ParkedGpDelivery> Parked { get; init; } = [];

    /// <summary>When gp-records last reported a delivery of the journey accepted (by its clock): for reports without a sequence.</summary>
    public DateTimeOffset? LastAcceptedAt { get; init; }

    /// <summary>The highest queue sequence gp-records has reported accepted for the journey (null until one carries it).</summary>
    public int? LastAcceptedSequence { get; init; }

    /// <summary>Deliveries gp-records reported withheld after parking them: a park of one arriving late is not recorded.</summary>
    public IReadOnlyList<Guid> Withheld { get; init; } = [];

    /// <summary>A delivery is parked: the practice has not been sent the journey's latest entries.</summary>
    [JsonIgnore]
    public bool NotYetInGpRecord => Parked.Count > 0;

    public static Guid StreamIdFor(Guid journeyId) => NameBasedGuid.Create("gp-record-delivery\n" + journeyId.ToString("N"));

    public static GpRecordDelivery Create(GpRecordDeliveryParkedRecorded e) => new GpRecordDelivery { Id = StreamIdFor(e.JourneyId), JourneyId = e.JourneyId }.Apply(e);

    public static GpRecordDelivery Create(GpRecordDeliveryAcceptedRecorded e) => new GpRecordDelivery { Id = StreamIdFor(e.JourneyId), JourneyId = e.JourneyId }.Apply(e);

    public static GpRecordDelivery Create(GpRecordDeliveryWithheldRecorded e) => new GpRecordDelivery { Id = StreamIdFor(e.JourneyId), JourneyId = e.JourneyId }.Apply(e);

    /// <summary>
    /// Whether an acceptance (<paramref name="acceptedSequence"/>, <paramref name="acceptedAt"/>) means a park is over.
    /// gp-records tries a journey's deliveries strictly in its queue's order and none while one is parked, so an acceptance
    /// of sequence s means every delivery up to s is done. The queue's order decides when both carry it: the two reports come
    /// from instances whose clocks may differ (HAZ-005 C12). Older messages without it fall back to times.
    /// </summary>
    public static bool Covers(int? acceptedSequence, DateTimeOffset? acceptedAt, int? parkedSequence, DateTimeOffset parkedAt) =>
        acceptedSequence is { } a && parkedSequence is { } p ? a >= p : parkedAt <= acceptedAt;

    /// <summary>Whether the journey's acceptances so far make this park over (or gp-records has withheld that delivery).</summary>
    public bool IsOver(Guid deliveryId, int? sequence, DateTimeOffset parkedAt) =>
        Withheld.Contains(deliveryId) || Covers(LastAcceptedSequence, LastAcceptedAt, sequence, parkedAt);

    /// <summary>Whether an acceptance adds nothing to those recorded (an earlier one, in the queue's order or, without it, by time).</summary>
    public bool IsStale(int? sequence, DateTimeOffset acceptedAt) =>
        sequence is { } s && LastAcceptedSequence is { } last ? s <= last : acceptedAt <= LastAcceptedAt;

    // The reports come on separate queues and may arrive either way round: the queue's order (or times), not arrival, decides.
    public GpRecordDelivery Apply(GpRecordDeliveryParkedRecorded e) => IsOver(e.DeliveryId, e.Sequence, e.ParkedAt)
        ? this
        : this with
        {
            Parked = [.. Parked.Where(p => p.DeliveryId != e.DeliveryId).Append(new ParkedGpDelivery(e.DeliveryId, e.PracticeOds, e.ParkedAt, e.Sequence))
                .OrderBy(p => p.ParkedAt)],
        };

    public GpRecordDelivery Apply(GpRecordDeliveryAcceptedRecorded e) => IsStale(e.Sequence, e.AcceptedAt)
        ? this
        : this with
        {
            LastAcceptedAt = e.AcceptedAt > LastAcceptedAt || LastAcceptedAt is null ? e.AcceptedAt : LastAcceptedAt,
            LastAcceptedSequence = e.Sequence is { } s && (LastAcceptedSequence is null || s > LastAcceptedSequence) ? s : LastAcceptedSequence,
            Parked = [.. Parked.Where(p => !Covers(e.Sequence, e.AcceptedAt, p.Sequence, p.ParkedAt))],
        };

    public GpRecordDelivery Apply(GpRecordDeliveryWithheldRecorded e) => this with
    {
        Withheld = Withheld.Contains(e.DeliveryId) ? Withheld : [.. Withheld, e.DeliveryId],
        Parked = [.. Parked.Where(p => p.DeliveryId != e.DeliveryId)],
    };

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
    /// <summary>A parked delivery is recorded once: not again for a copy, nor when a later acceptance or its withhold already covers it.</summary>
    public static IReadOnlyList<object> Parked(GpRecordDelivery? state, Guid journeyId, Guid deliveryId, int? sequence, Guid personId,
        string practiceOds, DateTimeOffset parkedAt, DateTimeOffset now) =>
        state?.IsOver(deliveryId, sequence, parkedAt) == true || state?.Parked.Any(p => p.DeliveryId == deliveryId && p.ParkedAt >= parkedAt) == true
            ? []
            : [new GpRecordDeliveryParkedRecorded(journeyId, deliveryId, personId, practiceOds, parkedAt, now) { Sequence = sequence }];

    /// <summary>An acceptance is recorded when it is the latest gp-records has reported for the journey (in the queue's order when known).</summary>
    public static IReadOnlyList<object> Accepted(GpRecordDelivery? state, Guid journeyId, Guid deliveryId, int? sequence, string practiceOds,
        DateTimeOffset acceptedAt, DateTimeOffset now) =>
        state?.IsStale(sequence, acceptedAt) == true
            ? []
            : [new GpRecordDeliveryAcceptedRecorded(journeyId, deliveryId, practiceOds, acceptedAt, now) { Sequence = sequence }];

    /// <summary>
    /// A withhold of a parked delivery is recorded once, whether its park has arrived yet or not (the reports come on separate
    /// queues): it clears that delivery by id, and a park of it arriving later is not recorded.
    /// </summary>
    public static IReadOnlyList<object> Withheld(GpRecordDelivery? state, Guid journeyId, Guid deliveryId, int sequence, string reasonCategory,
        DateTimeOffset withheldAt, DateTimeOffset now) =>
        state?.Withheld.Contains(deliveryId) == true
            ? []
            : [new GpRecordDeliveryWithheldRecorded(journeyId, deliveryId, sequence, reasonCategory, withheldAt, now)];
}
