using System.Security.Cryptography;
using System.Text;
using MassTransit;
using Microsoft.Extensions.Options;
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
    IReadOnlyDictionary<string, string> Hashes,
    DateTimeOffset ProducedAt);

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
                [.. changed.Select(c => c.Resource.MessageKind).OfType<string>()], registration.Referrer.OrganisationId, entries, now));
    }

    private static string Hash(string full, string? coded) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(full + "\n" + (coded ?? ""))));
}

/// <summary>Produces journeys' records in the caller's session (the journey stream's lock guards against a double production).</summary>
public sealed class JourneyRecordProducer(JourneyRecordMapper mapper, TimeProvider clock)
{
    /// <summary>Produces the named journey, or every journey of the person when none is named.</summary>
    public async Task ProduceAsync(IDocumentSession session, Guid personId, Guid? journeyId, CancellationToken ct)
    {
        var journeys = journeyId is { } id
            ? [id]
            : (await session.LoadAsync<PersonJourneysDocument>(personId, ct))?.JourneyIds ?? [];
        foreach (var journey in journeys)
        {
            await ProduceJourneyAsync(session, journey, ct);
        }
    }

    private async Task ProduceJourneyAsync(IDocumentSession session, Guid journeyId, CancellationToken ct)
    {
        var stream = await session.Events.FetchForExclusiveWriting<GpJourney>(journeyId, ct);
        if (stream.Aggregate is not { } journey)
        {
            return;
        }

        var patient = await session.Events.AggregateStreamAsync<PatientRecord>(journey.PersonId, ct: ct);
        if (RecordProduction.Decide(journey, patient, mapper, clock.GetUtcNow()) is not { } decision)
        {
            return;
        }

        stream.AppendOne(decision.Produced);
        session.Events.Append(decision.Queued.QueueId, decision.Queued);
        session.Outbox.Publish(new GpDeliveriesDue(journey.PersonId, journeyId), decision.Queued.QueueId);
    }
}

/// <summary>
/// Production requested through the broker. Facts and details now produce in their own consumers' follow-up; this
/// consumer stays for requests already queued, and for operators who re-drive one.
/// </summary>
public sealed class GpJourneyRecordsDueConsumer(IDocumentStore store, JourneyRecordProducer producer, ILogger<GpJourneyRecordsDueConsumer> logger)
    : IdempotentConsumer<GpJourneyRecordsDue>(store, logger)
{
    protected override Task HandleAsync(IDocumentSession session, ConsumeContext<GpJourneyRecordsDue> context) =>
        producer.ProduceAsync(session, context.Message.PersonId, context.Message.JourneyId, context.CancellationToken);
}

public sealed class GpJourneyRecordsDueConsumerDefinition(IOptions<MessagingOptions> o) : ReferralsConsumerDefinition<GpJourneyRecordsDueConsumer>(o);
