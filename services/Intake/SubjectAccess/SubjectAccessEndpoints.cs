using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Referrals.EventStore;
using Referrals.Intake.Auditing;
using Referrals.Intake.Referrals;
using Referrals.ServiceDefaults.Auth;
using Referrals.ServiceDefaults.DataProtection;
using Referrals.ServiceDefaults.Messaging.Topology;

namespace Referrals.Intake.SubjectAccess;

/// <summary>
/// The subject access package (UK GDPR Article 15): everything the platform holds about one person, from each of the four
/// services, in one machine-readable document. Each part is that service's own export of the events, read models, pending
/// messages and timers tagged with the person's id, decrypted.
/// </summary>
public sealed record SubjectAccessPackage(
    string Format,
    Guid PersonId,
    DateTimeOffset GeneratedAt,
    string GeneratedBy,
    IReadOnlyList<ServicePersonalData> Services);

public static class SubjectAccessEndpoints
{
    public const string ClientName = "personal-data";
    public const string Format = "referrals-subject-access/1";

    /// <summary>The other services' base URLs, from configuration <c>Services:&lt;name&gt;</c> (as the run command sets them).</summary>
    private static readonly (string Service, string Setting)[] Others =
        [(TriageTopology.Service, "Services:Triage"), (SupportPlanTopology.Service, "Services:SupportPlan"), (GpRecordsTopology.Service, "Services:GpRecords")];

    public static IEndpointRouteBuilder MapSubjectAccess(this IEndpointRouteBuilder app)
    {
        app.MapPost("/people/{personId:guid}/subject-access", ExportAsync)
            .RequireAuthorization(Roles.DataProtectionOfficer)
            .WithName("SubjectAccess")
            .WithTags("Data protection")
            .WithSummary("Export everything the platform holds about a person, across the four services, as one JSON package.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status502BadGateway);
        return app;
    }

    private static async Task<Results<Ok<SubjectAccessPackage>, ProblemHttpResult>> ExportAsync(Guid personId, HttpContext http,
        IDocumentStore store, DocumentStore documents, IHttpClientFactory clients, IConfiguration configuration, DataProtectionAudit audit,
        TimeProvider time, ILogger<SubjectAccessPackage> logger, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        if ((await session.QueryAsync<Referral>("person_id = ?", [personId], ct)).Count == 0)
        {
            return TypedResults.Problem(title: "Person not found", statusCode: StatusCodes.Status404NotFound);
        }

        var own = await documents.ExportPersonAsync(personId, ct);
        var parts = new List<ServicePersonalData>
        {
            new(IntakeTopology.Service, personId, own.Erased, own.Events, own.Documents, own.Pending),
        };
        using var client = clients.CreateClient(ClientName);
        foreach (var (service, setting) in Others)
        {
            var baseUrl = configuration[setting] ?? throw new InvalidOperationException($"{setting} is not set (the {service} service's base URL).");
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(baseUrl), $"people/{personId}/personal-data"));
            // The officer's own token: each service checks the role itself.
            request.Headers.Authorization = AuthenticationHeaderValue.Parse(http.Request.Headers.Authorization.ToString());
            using var response = await client.SendAsync(request, ct);
            if (!response.IsSuccessStatusCode || await response.Content.ReadFromJsonAsync<ServicePersonalData>(ct) is not { } part ||
                part.PersonId != personId)
            {
                // An incomplete package would misstate what is held: fail instead.
                logger.LogWarning("Subject access: the {Service} service answered {Status}", service, (int)response.StatusCode);
                return TypedResults.Problem(title: "A service did not answer",
                    detail: $"The {service} service could not export its holdings; no package was produced.",
                    statusCode: StatusCodes.Status502BadGateway);
            }

            parts.Add(part);
        }

        var now = time.GetUtcNow();
        var actor = http.User.UserId();
        audit.Record(session, personId, DataProtectionStep.SubjectAccessExported, actor, now, outcome: string.Join(",", parts.Select(p => p.Service)));
        await session.SaveChangesAsync(ct);
        return TypedResults.Ok(new SubjectAccessPackage(Format, personId, now, actor, parts));
    }
}
