using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Referrals.EventStore;
using Referrals.EventStore.PersonalData;
using Referrals.ServiceDefaults.Auth;

namespace Referrals.ServiceDefaults.DataProtection;

/// <summary>One service's holdings about one person, as exported for a subject access request.</summary>
/// <param name="OtherRecords">Records the service keeps outside its event store (e.g. an access audit), by name.</param>
public sealed record ServicePersonalData(
    string Service,
    Guid PersonId,
    bool Erased,
    IReadOnlyList<PersonalEvent> Events,
    IReadOnlyList<PersonalDocument> Documents,
    IReadOnlyList<PersonalMessage> Pending,
    IReadOnlyDictionary<string, JsonElement>? OtherRecords = null);

/// <summary>Records about a person that a service keeps outside its event store, for its subject access export.</summary>
public interface IPersonalDataSource
{
    /// <summary>The name the records appear under in the export.</summary>
    string Name { get; }

    Task<JsonElement> ExportAsync(Guid personId, CancellationToken ct);
}

public static class PersonalDataEndpoints
{
    /// <summary>
    /// <c>GET /people/{personId}/personal-data</c> (data-protection officer): every event, read model, pending message and
    /// timer this service holds about the person, decrypted. Intake assembles these into the subject access package.
    /// </summary>
    public static IEndpointRouteBuilder MapPersonalDataExport(this IEndpointRouteBuilder app, string service)
    {
        app.MapGet("/people/{personId:guid}/personal-data", async Task<Ok<ServicePersonalData>> (Guid personId, DocumentStore store,
                IEnumerable<IPersonalDataSource> sources, CancellationToken ct) =>
            {
                var holdings = await store.ExportPersonAsync(personId, ct);
                var other = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                foreach (var source in sources)
                {
                    other[source.Name] = await source.ExportAsync(personId, ct);
                }

                return TypedResults.Ok(new ServicePersonalData(service, personId, holdings.Erased, holdings.Events, holdings.Documents,
                    holdings.Pending, other.Count > 0 ? other : null));
            })
            .RequireAuthorization(Roles.DataProtectionOfficer)
            .WithName("ExportPersonalData")
            .WithTags("Data protection")
            .WithSummary("Everything this service holds about one person (subject access), decrypted; nothing about anyone else.");
        return app;
    }
}
