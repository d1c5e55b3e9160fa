using Referrals.Contracts;
using Referrals.EventStore;
using Referrals.GpRecords.Delivering;
using Referrals.GpRecords.Recording;

namespace Referrals.GpRecords.FhirApi;

/// <summary>
/// Read model behind the FHIR API: the latest produced rendering of one resource (id "Type/id") in both sharing scopes,
/// encrypted under the person's key. Which rendering is served depends on the journey's scope at request time.
/// </summary>
public sealed class FhirResourceDocument
{
    public string Id { get; set; } = "";

    public string ResourceType { get; set; } = "";

    public string ResourceId { get; set; } = "";

    public Guid PersonId { get; set; }

    public Guid JourneyId { get; set; }

    public string PatientId { get; set; } = "";

    public string PracticeOds { get; set; } = "";

    public DateTimeOffset? ClinicalDate { get; set; }

    public int Sequence { get; set; }

    [PersonalData]
    public string? FullJson { get; set; }

    [PersonalData]
    public string? CodedJson { get; set; }
}

/// <summary>Keeps <see cref="FhirResourceDocument"/>s from the queued deliveries (the Patient comes from the patient read model).</summary>
public sealed class FhirResourceProjection : IProjection
{
    public string Name => nameof(FhirResourceDocument);

    public IReadOnlyCollection<Type> DocumentTypes => [typeof(FhirResourceDocument)];

    public bool Handles(Type eventType) => eventType == typeof(DeliveryQueued);

    public async Task ApplyAsync(IProjectionContext context, IReadOnlyList<IEvent> events, CancellationToken ct)
    {
        var queued = events.Select(e => e.Data).OfType<DeliveryQueued>().Where(q => q.Entries is not null).ToList();
        var entries = queued.SelectMany(q => q.Entries!.Where(e => !e.ConditionalCreate).Select(e => (Queued: q, Entry: e))).ToList();
        if (entries.Count == 0)
        {
            return;
        }

        var existing = await context.LoadManyForUpdateAsync<FhirResourceDocument>(
            entries.Select(e => e.Entry.ResourceType + "/" + e.Entry.Id).Distinct().ToList(), ct);
        var latest = new Dictionary<string, FhirResourceDocument>(existing);
        foreach (var (q, entry) in entries)
        {
            var id = entry.ResourceType + "/" + entry.Id;
            if (latest.TryGetValue(id, out var current) && current.Sequence > q.Sequence)
            {
                continue;
            }

            latest[id] = new FhirResourceDocument
            {
                Id = id,
                ResourceType = entry.ResourceType,
                ResourceId = entry.Id,
                PersonId = q.PersonId,
                JourneyId = q.JourneyId,
                PatientId = ResourceIds.Patient(q.PersonId),
                PracticeOds = q.PracticeOds,
                ClinicalDate = entry.ClinicalDate,
                Sequence = q.Sequence,
                FullJson = entry.FullJson,
                CodedJson = entry.CodedJson,
            };
            context.Store(latest[id]);
        }
    }
}

/// <summary>The sharing scope of a journey now (id = JourneyId): what the FHIR API may show.</summary>
public sealed class JourneySharingDocument
{
    public Guid Id { get; set; }

    public Guid PersonId { get; set; }

    public ConsentScope Scope { get; set; }

    public DateTimeOffset ChangedAt { get; set; }
}

public sealed class JourneySharingProjection : MultiStreamProjection<JourneySharingDocument, Guid>
{
    public JourneySharingProjection() => Identity<SharingScopeChanged>(e => e.JourneyId);

    public JourneySharingDocument Create(SharingScopeChanged e) =>
        new() { Id = e.JourneyId, PersonId = e.PersonId, Scope = e.Scope, ChangedAt = e.ChangedAt };

    public JourneySharingDocument Apply(SharingScopeChanged e, JourneySharingDocument doc)
    {
        if (e.ChangedAt >= doc.ChangedAt)
        {
            doc.Scope = e.Scope;
            doc.ChangedAt = e.ChangedAt;
        }

        return doc;
    }
}
