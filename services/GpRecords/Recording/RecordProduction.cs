using System.Security.Cryptography;
using System.Text;
using MassTransit;
using Microsoft.Extensions.Options;
using Referrals.Contracts;
using Referrals.Contracts.GpRecords;
using Referrals.Contracts.SupportPlan;
using Referrals.EventStore;
using Referrals.Fhir;
using Referrals.GpRecords.Delivering;
using Referrals.GpRecords.Journeys;
using Referrals.GpRecords.Patients;
using Referrals.ServiceDefaults.Messaging;

namespace Referrals.GpRecords.Recording;

/// <summary>The journey's resources were (re)produced: the content hash of each resource that changed, and the delivery carrying them.</summary>
public sealed record ResourcesProduced(
    Guid JourneyId,
    Guid PersonId,
    Guid DeliveryId,
    int Sequence,
    IReadOnlyDictionary<string, string>? Hashes,
    DateTimeOffset ProducedAt)
{
    /// <summary>
    /// Personal data (HAZ-016, DPIA R13): an unkeyed hash of a resource whose only personal input is the NHS number gives
    /// the number back by brute force, so the hashes are stored encrypted under the person's key and shredded with it.
    /// After erasure they read as empty (an erased person produces nothing more). Hashes stored in plain text before
    /// this still read, unchanged, so nothing is produced again.
    /// </summary>
    [PersonalData]
    public IReadOnlyDictionary<string, string> Hashes { get; init; } = Hashes ?? new Dictionary<string, string>(StringComparer.Ordinal);
}

/// <summary>
/// The journey's production starts over (<see cref="GpJourney.Produced"/> cleared), so the next production queues every
/// current resource: the recipient may lack what was recorded as produced - withheld or left out under a narrower consent
/// scope, or sent to the practice the person has left (HAZ-004, HAZ-006, HAZ-021).
/// </summary>
public sealed record ProductionReset(Guid JourneyId, Guid PersonId, string Reason, DateTimeOffset ResetAt);

public sealed record ProductionDecision(ResourcesProduced Produced, DeliveryQueued Queued);

/// <summary>
/// Pure: maps the journey, compares each resource with what was last produced, and queues the changed ones (with the
/// Patient as a conditional create) for the practice where the person is registered - never the referrer. Nothing is
/// produced before the journey is registered and the person's details are known.
/// </summary>
public static class RecordProduction
{
    public static ProductionDecision? Decide(GpJourney journey, PatientRecord? patient, JourneyRecordMapper mapper, DateTimeOffset now)
    {
        var registration = journey.All<JourneyRegistered>().OrderBy(r => r.RegisteredAt).LastOrDefault();
        if (patient is null || patient.Erased || patient.Details is null || registration is null)
        {
            return null;
        }

        var changed = new List<(MappedResource Resource, DeliveryEntry Entry, string Hash)>();
        foreach (var resource in mapper.Map(journey, patient))
        {
            var full = FhirJson.Serialize(resource.Full);
            var coded = resource.Coded is null ? null : FhirJson.Serialize(resource.Coded);
            var hash = Hash(full, coded);
            if (journey.Produced.TryGetValue(resource.Key, out var previous) && previous == hash)
            {
                continue;
            }

            changed.Add((resource, new DeliveryEntry(resource.Full.ResourceType, resource.Full.Id!, full, coded, resource.ClinicalDate, false), hash));
        }

        if (changed.Count == 0)
        {
            return null;
        }

        var sequence = journey.DeliveriesQueued + 1;
        var deliveryId = ResourceIds.Delivery(journey.Id, sequence);
        var patientJson = FhirJson.Serialize(JourneyRecordMapper.Patient(patient.Id, patient.Details, patient.RegisteredPracticeOds));
        var entries = new List<DeliveryEntry> { new("Patient", ResourceIds.Patient(patient.Id), patientJson, patientJson, null, ConditionalCreate: true) };
        entries.AddRange(changed.Select(c => c.Entry));
        var queueId = ResourceIds.DeliveryQueue(journey.Id);
        return new ProductionDecision(
            new ResourcesProduced(journey.Id, journey.PersonId, deliveryId, sequence,
                changed.ToDictionary(c => c.Resource.Key, c => c.Hash, StringComparer.Ordinal), now),
            new DeliveryQueued(queueId, journey.Id, journey.PersonId, deliveryId, sequence, patient.RegisteredPracticeOds,
                [.. changed.Select(c => c.Resource.MessageKind).OfType<string>()], registration.Referrer.OrganisationId, entries, now)
            {
                // Nothing recorded as produced: every current resource is in this delivery.
                Complete = journey.Produced.IsEmpty,
            });
    }

    /// <summary>Why production starts over after a widening of the consent scope.</summary>
    public const string ScopeWidenedReason = "The consent scope widened.";

    /// <summary>Why production starts over after a move of practice.</summary>
    public const string PracticeMovedReason = "The person moved practice.";

    /// <summary>
    /// A reset when <paramref name="change"/> widens the scope the sender honours (none → coded-only or full, coded-only →
    /// full): what was withheld, or left out for want of a coded rendering, under the narrower scope was recorded as
    /// produced all the same, and would otherwise never be sent. Null when the scope does not widen (an older change the
    /// queue ignores included) or nothing was produced yet.
    /// </summary>
    public static ProductionReset? ResetOnScope(GpJourney? journey, DeliveryQueue? queue, SharingScopeChanged change)
    {
        var before = queue ?? new DeliveryQueue();
        return journey is { Produced.IsEmpty: false } && Breadth(before.Apply(change).Scope) > Breadth(before.Scope)
            ? new ProductionReset(journey.Id, journey.PersonId, ScopeWidenedReason, change.ChangedAt)
            : null;
    }

    /// <summary>
    /// A reset when the person moves to another practice: the new practice holds nothing of the journey, and later entries
    /// refer to resources (the ServiceRequest) it would otherwise never be sent. Null when nothing was produced yet.
    /// </summary>
    public static ProductionReset? ResetOnMove(GpJourney? journey, string fromOds, string toOds, DateTimeOffset at) =>
        journey is { Produced.IsEmpty: false } && !string.Equals(fromOds, toOds, StringComparison.OrdinalIgnoreCase)
            ? new ProductionReset(journey.Id, journey.PersonId, PracticeMovedReason, at)
            : null;

    private static int Breadth(ConsentScope scope) => scope switch
    {
        ConsentScope.Full => 2,
        ConsentScope.CodedOnly => 1,
        _ => 0,
    };

    private static string Hash(string full, string? coded) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(full + "\n" + (coded ?? ""))));
}

/// <summary>
/// Produces journeys' records, then sends them. Production commits first (the journey stream's lock guards against a
/// double production); each journey that queued a delivery then takes its delivery step in a transaction of its own, so
/// the records usually reach the practice without a further message.
/// </summary>
public sealed class JourneyRecordProducer(JourneyRecordMapper mapper, DeliverySender sender, TimeProvider clock, ILogger<JourneyRecordProducer> logger)
{
    /// <summary>
    /// Produces the named journey, or every journey of the person when none is named, and steps each delivery queue that
    /// production added to. When the message had been applied before (<paramref name="appliedNow"/> false), every such
    /// journey steps: an earlier follow-up may have committed its production and stopped before the step.
    /// </summary>
    public async Task ProduceAndSendAsync(IDocumentSession session, Guid personId, Guid? journeyId, bool appliedNow, CancellationToken ct)
    {
        var journeys = journeyId is { } id
            ? [id]
            : (await session.LoadAsync<PersonJourneysDocument>(personId, ct))?.JourneyIds ?? [];
        var queued = new List<Guid>();
        foreach (var journey in journeys)
        {
            if (await ProduceJourneyAsync(session, journey, ct))
            {
                queued.Add(journey);
            }
        }

        await session.SaveChangesAsync(ct);
        foreach (var journey in appliedNow ? queued : journeys)
        {
            await sender.StepAsync(session, personId, journey, null, ct);
            await session.SaveChangesAsync(ct);
        }
    }

    /// <summary>True when a delivery was queued.</summary>
    private async Task<bool> ProduceJourneyAsync(IDocumentSession session, Guid journeyId, CancellationToken ct)
    {
        var stream = await session.Events.FetchForExclusiveWriting<GpJourney>(journeyId, ct);
        if (stream.Aggregate is not { } journey)
        {
            return false;
        }

        var patient = await session.Events.AggregateStreamAsync<PatientRecord>(journey.PersonId, ct: ct);
        if (RecordProduction.Decide(journey, patient, mapper, clock.GetUtcNow()) is not { } decision)
        {
            return false;
        }

        foreach (var goalId in JourneyRecordMapper.GoalsOfUnknownStatus(journey))
        {
            logger.LogWarning("Goal {GoalId} of journey {JourneyId} has a status gp-records does not know: sent to the practice as proposed",
                goalId, journeyId);
        }

        stream.AppendOne(decision.Produced);
        session.Events.Append(decision.Queued.QueueId, decision.Queued);
        return true;
    }
}

/// <summary>
/// Production requested through the broker. Facts and details now produce in their own consumers' follow-up; this
/// consumer stays for requests already queued, and for operators who re-drive one.
/// </summary>
public sealed class GpJourneyRecordsDueConsumer(IDocumentStore store, JourneyRecordProducer producer, ILogger<GpJourneyRecordsDueConsumer> logger)
    : IdempotentConsumer<GpJourneyRecordsDue>(store, logger)
{
    protected override Task HandleAsync(IDocumentSession session, ConsumeContext<GpJourneyRecordsDue> context) => Task.CompletedTask;

    protected override Task FollowUpAsync(IDocumentSession session, ConsumeContext<GpJourneyRecordsDue> context, bool appliedNow) =>
        producer.ProduceAndSendAsync(session, context.Message.PersonId, context.Message.JourneyId, appliedNow, context.CancellationToken);
}

public sealed class GpJourneyRecordsDueConsumerDefinition(IOptions<MessagingOptions> o) : ReferralsConsumerDefinition<GpJourneyRecordsDueConsumer>(o);
