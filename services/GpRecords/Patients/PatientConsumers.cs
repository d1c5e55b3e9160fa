using System.Diagnostics.Metrics;
using MassTransit;
using Microsoft.Extensions.Options;
using Referrals.Contracts;
using Referrals.Contracts.GpRecords;
using Referrals.Contracts.Intake;
using Referrals.EventStore;
using Referrals.GpRecords.Delivering;
using Referrals.GpRecords.Journeys;
using Referrals.GpRecords.Recording;
using Referrals.ServiceDefaults.DataProtection;
using Referrals.ServiceDefaults.Messaging;
using Referrals.ServiceDefaults.Telemetry;

namespace Referrals.GpRecords.Patients;

/// <summary>Records the person's details and practice; the consumers then produce the person's journeys, which may have waited for them.</summary>
internal static class PatientDetailsHandler
{
    public const string NhsNumberPurpose = "gp-records:nhs-number";

    /// <param name="practiceOds">
    /// The practice a referral names; null for a correction, which leaves the practice as it is and waits (a retry) until the
    /// person is recorded.
    /// </param>
    /// <returns>
    /// The practice the person is registered at when it is not the one the referral names (only a recorded move changes
    /// it: <see cref="PracticeRules"/>); otherwise null.
    /// </returns>
    public static async Task<string?> RecordAsync(IDocumentSession session, BlindIndex index, Guid personId, PersonDetails? details,
        string? practiceOds, DateTimeOffset at, CancellationToken ct)
    {
        var stream = await session.Events.FetchForExclusiveWriting<PatientRecord>(personId, ct);
        if (stream.Aggregate is null && practiceOds is null)
        {
            throw new MessageOutOfOrderException("Details rectified for a person gp-records has not recorded yet.");
        }

        var nhsNumber = details?.NhsNumber is { } raw && SharedKernel.NhsNumber.TryCreate(raw, out var number, out _) ? number.Value.Value : null;
        var events = PatientRecord.Decide(stream.Aggregate, personId, details, practiceOds,
            nhsNumber is null ? null : index.Compute(NhsNumberPurpose, nhsNumber), at);
        stream.AppendMany(events);
        var held = events.Aggregate(stream.Aggregate, (record, e) => record is null
            ? PatientRecord.Create((PatientDetailsRecorded)e)
            : record.Apply((PatientDetailsRecorded)e));
        return held is { Erased: false } && practiceOds is not null && SharedKernel.OdsCode.TryCreate(practiceOds, out var named, out _) &&
               !string.Equals(named.Value.Value, held.RegisteredPracticeOds, StringComparison.OrdinalIgnoreCase)
            ? held.RegisteredPracticeOds
            : null;
    }
}

/// <summary>
/// Records the person's details and notes the submission's sharing scope on the referral's stream, in one transaction, so
/// a practice notice held for the referral can be released under it (<see cref="ReferralSubmissions"/>).
/// </summary>
public sealed class ReferralSubmittedConsumer(IDocumentStore store, BlindIndex index, JourneyRecordProducer producer, HeldNoticeReleaser releaser,
    ILogger<ReferralSubmittedConsumer> logger) : IdempotentConsumer<ReferralSubmitted>(store, logger)
{
    private bool _releaseMayBeDue;
    private string? _registeredElsewhere;

    protected override async Task HandleAsync(IDocumentSession session, ConsumeContext<ReferralSubmitted> context)
    {
        var message = context.Message;
        _registeredElsewhere = await PatientDetailsHandler.RecordAsync(session, index, message.PersonId, message.Person, message.RegisteredPracticeOds,
            message.SubmittedAt, context.CancellationToken);
        _releaseMayBeDue = await ReferralSubmissions.NoteAsync(session, message, context.CancellationToken);
    }

    protected override async Task FollowUpAsync(IDocumentSession session, ConsumeContext<ReferralSubmitted> context, bool appliedNow)
    {
        if (_registeredElsewhere is { } held)
        {
            // HAZ-004: the person may have moved without the move being recorded; the team must check and record it.
            PatientMetrics.ReferralNamesAnotherPractice.Add(1, new KeyValuePair<string, object?>("programme", context.Message.ProgrammeId));
            logger.LogWarning("Referral {ReferralId} names practice {NamedPractice}, but person {PersonId} is registered at {HeldPractice} here, " +
                "where records go until a move is recorded", context.Message.ReferralId, context.Message.RegisteredPracticeOds,
                context.Message.PersonId, held);
        }

        await producer.ProduceAndSendAsync(session, context.Message.PersonId, journeyId: null, appliedNow, context.CancellationToken);
        // A redelivery does not know what the first handling found; usually nothing waits for the submission, so no release is read.
        if (_releaseMayBeDue || !appliedNow)
        {
            await releaser.ReleaseAndSendAsync(session, context.Message.ReferralId, overdue: false, appliedNow, context.CancellationToken);
        }
    }
}

public sealed class ReferralSubmittedConsumerDefinition(IOptions<MessagingOptions> options)
    : ReferralsConsumerDefinition<ReferralSubmittedConsumer>(options);

public sealed class PersonDetailsRectifiedConsumer(IDocumentStore store, BlindIndex index, JourneyRecordProducer producer,
    ILogger<PersonDetailsRectifiedConsumer> logger) : IdempotentConsumer<PersonDetailsRectified>(store, logger)
{
    /// <summary>
    /// A correction says nothing about the practice: carrying the one held, stamped with the correction's time, would let it
    /// override a move made before the correction but recorded after it.
    /// </summary>
    protected override Task HandleAsync(IDocumentSession session, ConsumeContext<PersonDetailsRectified> context) =>
        PatientDetailsHandler.RecordAsync(session, index, context.Message.PersonId, context.Message.Person, practiceOds: null,
            context.Message.RectifiedAt, context.CancellationToken);

    protected override Task FollowUpAsync(IDocumentSession session, ConsumeContext<PersonDetailsRectified> context, bool appliedNow) =>
        producer.ProduceAndSendAsync(session, context.Message.PersonId, journeyId: null, appliedNow, context.CancellationToken);
}

public sealed class PersonDetailsRectifiedConsumerDefinition(IOptions<MessagingOptions> options)
    : ReferralsConsumerDefinition<PersonDetailsRectifiedConsumer>(options);

/// <summary>
/// The person moved practice (HAZ-004 C4). Recorded on the patient, whose practice the sender reads under each journey's
/// delivery lock at every send: a delivery not yet sent (queued, retrying, or parked and later replayed) goes to the new
/// practice, and so does everything produced from now on. The follow-up produces the person's journeys again, so the new
/// practice receives the consent entry naming it.
/// </summary>
public sealed class RegisteredPracticeChangedConsumer(IDocumentStore store, JourneyRecordProducer producer,
    ILogger<RegisteredPracticeChangedConsumer> logger) : IdempotentConsumer<RegisteredPracticeChanged>(store, logger)
{
    protected override async Task HandleAsync(IDocumentSession session, ConsumeContext<RegisteredPracticeChanged> context)
    {
        var message = context.Message;
        var stream = await session.Events.FetchForExclusiveWriting<PatientRecord>(message.PersonId, context.CancellationToken);
        var current = stream.Aggregate ?? throw new MessageOutOfOrderException("A practice change for a person gp-records has not recorded yet.");
        if (!SharedKernel.OdsCode.TryCreate(message.RegisteredPracticeOds, out var practice, out _))
        {
            // Intake validates the code; a malformed one is a defect to investigate, never a reason to re-route.
            throw new InvalidOperationException($"RegisteredPracticeChanged for person {message.PersonId} carries a malformed ODS code.");
        }

        var moves = PatientRecord.DecideMove(current, practice.Value, message.ChangedAt);
        stream.AppendMany(moves);

        // The new practice holds nothing of the journeys: each starts production over, so the follow-up sends it every
        // current resource, not only what changed (HAZ-004). Journeys are locked before queues, as production takes them.
        var journeys = (await session.LoadAsync<PersonJourneysDocument>(message.PersonId, context.CancellationToken))?.JourneyIds ?? [];
        var reset = new HashSet<Guid>();
        foreach (var journeyId in moves.Count == 0 ? [] : journeys)
        {
            var journey = await session.Events.FetchForExclusiveWriting<GpJourney>(journeyId, context.CancellationToken);
            if (RecordProduction.ResetOnMove(journey.Aggregate, current.RegisteredPracticeOds, practice.Value.Value, message.ChangedAt) is { } restart)
            {
                journey.AppendOne(restart);
                reset.Add(journeyId);
            }
        }

        // Lock every delivery queue of the person, as the sender does for each send: a send in progress finishes first,
        // so once this commits nothing can still be on its way to the old practice. What the complete delivery to the new
        // practice will supersede is withheld here, not when that delivery is queued in the follow-up: a step in between
        // would send it alone to the new practice (HAZ-004).
        foreach (var journeyId in journeys)
        {
            var queue = await session.Events.FetchForExclusiveWriting<DeliveryQueue>(ResourceIds.DeliveryQueue(journeyId), context.CancellationToken);
            if (reset.Contains(journeyId))
            {
                DeliveryWithholding.Record(session, queue, DeliveryDecider.SupersedeOnReset(queue.Aggregate, practice.Value.Value, message.ChangedAt));
            }
        }
    }

    protected override Task FollowUpAsync(IDocumentSession session, ConsumeContext<RegisteredPracticeChanged> context, bool appliedNow) =>
        producer.ProduceAndSendAsync(session, context.Message.PersonId, journeyId: null, appliedNow, context.CancellationToken);
}

public sealed class RegisteredPracticeChangedConsumerDefinition(IOptions<MessagingOptions> options)
    : ReferralsConsumerDefinition<RegisteredPracticeChangedConsumer>(options);

/// <summary>
/// An approved erasure: the person's key is destroyed here too, so their details and free text read back as null. Then,
/// in a transaction per journey, the person's pending deliveries are recorded as withheld: nothing of theirs will be sent,
/// and a delivery waiting for a step (a retry timer's or the next delivery's GpDeliveriesDue) may have lost it with the
/// messages this erasure drops from the error queues.
/// </summary>
public sealed class PersonErasedConsumer(IDocumentStore store, DocumentStore documentStore, DeadLetterShredder deadLetters, TimeProvider clock,
    ILogger<PersonErasedConsumer> logger) : IdempotentConsumer<PersonErased>(store, logger)
{
    protected override async Task HandleAsync(IDocumentSession session, ConsumeContext<PersonErased> context)
    {
        var personId = context.Message.PersonId;
        await documentStore.ErasePersonAsync(personId, context.CancellationToken);
        await deadLetters.ShredAsync(personId, context.CancellationToken);
        // A replayed erasure (another message id) finds the patient erased and records nothing more.
        var patient = await session.Events.AggregateStreamAsync<PatientRecord>(personId, ct: context.CancellationToken);
        if (patient is not { Erased: true })
        {
            session.Events.Append(personId, new PatientErased(personId, context.Message.ErasedAt));
        }
    }

    /// <summary>
    /// Runs for a redelivered or replayed erasure too (so a crash after the first transaction loses nothing); a delivery
    /// already done, withheld included, is left as it is, so a second run records nothing more. Each queue is locked as the
    /// sender locks it, so a send in progress finishes first and is then done.
    /// </summary>
    protected override async Task FollowUpAsync(IDocumentSession session, ConsumeContext<PersonErased> context, bool appliedNow)
    {
        var ct = context.CancellationToken;
        var journeys = (await session.LoadAsync<PersonJourneysDocument>(context.Message.PersonId, ct))?.JourneyIds ?? [];
        foreach (var journeyId in journeys)
        {
            var stream = await session.Events.FetchForExclusiveWriting<DeliveryQueue>(ResourceIds.DeliveryQueue(journeyId), ct);
            if (stream.Aggregate is { } queue)
            {
                DeliveryWithholding.Record(session, stream, DeliveryDecider.WithholdForErasure(queue, clock.GetUtcNow()));
            }

            await session.SaveChangesAsync(ct);
        }
    }
}

public sealed class PersonErasedConsumerDefinition(IOptions<MessagingOptions> options)
    : ReferralsConsumerDefinition<PersonErasedConsumer>(options);

/// <summary>gp-records' patient counter, on the platform's meter ("Referrals").</summary>
public static class PatientMetrics
{
    /// <summary>
    /// Referrals naming a practice other than the one the person is registered at here (only a recorded move changes it), tag
    /// <c>programme</c>: each may be a move nobody has recorded yet (HAZ-004).
    /// </summary>
    public static readonly Counter<long> ReferralNamesAnotherPractice = ReferralsTelemetry.Meter.CreateCounter<long>(
        "referrals.gp_referral_practice_differs", "{referral}", "Referrals naming a practice other than the one the person is registered at");
}
