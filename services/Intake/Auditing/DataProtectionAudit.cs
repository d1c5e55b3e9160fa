using Microsoft.AspNetCore.Http.HttpResults;
using Referrals.EventStore;
using Referrals.ServiceDefaults.Auth;

namespace Referrals.Intake.Auditing;

/// <summary>The steps of the subject-rights workflows, each audited.</summary>
public enum DataProtectionStep
{
    ErasureRequested,
    ErasureApproved,
    ErasureRefused,
    ErasureExecuted,
    RetentionPeriodEnded,
    RetentionDeferred,
    DetailsRectified,
    SubjectAccessExported,
}

/// <summary>
/// Who did what, when, for which person (by id) and request. No personal data: the outcome is a code or an Article 17(3)
/// ground, never free text about the person, so the trail outlives the erasure it records.
/// </summary>
public sealed record DataProtectionStepAudited(
    Guid PersonId,
    DataProtectionStep Step,
    string Actor,
    DateTimeOffset At,
    Guid? ErasureRequestId,
    string? Outcome);

/// <summary>A person's data-protection audit trail: one stream per person, derived from the person id.</summary>
public sealed record DataProtectionAuditTrail
{
    public Guid Id { get; init; }

    public Guid PersonId { get; init; }

    public IReadOnlyList<DataProtectionStepAudited> Steps { get; init; } = [];

    public static DataProtectionAuditTrail Create(DataProtectionStepAudited e) => new() { PersonId = e.PersonId, Steps = [e] };

    public DataProtectionAuditTrail Apply(DataProtectionStepAudited e) => this with { Steps = [.. Steps, e] };
}

public sealed class DataProtectionAudit(BlindIndex index)
{
    public const string SystemActor = "retention-policy";

    public Guid StreamIdFor(Guid personId) => index.ComputeGuid("data-protection-audit", personId.ToString("D"));

    /// <summary>Appends one audited step in the caller's transaction, so the step and its audit commit together.</summary>
    public void Record(IDocumentSession session, Guid personId, DataProtectionStep step, string actor, DateTimeOffset at,
        Guid? erasureRequestId = null, string? outcome = null) =>
        session.Events.Append(StreamIdFor(personId), new DataProtectionStepAudited(personId, step, actor, at, erasureRequestId, outcome));
}

public static class DataProtectionAuditEndpoints
{
    public static IEndpointRouteBuilder MapDataProtectionAudit(this IEndpointRouteBuilder app)
    {
        app.MapGet("/people/{personId:guid}/data-protection-audit", async Task<Ok<IReadOnlyList<DataProtectionStepAudited>>> (
                Guid personId, IDocumentStore store, DataProtectionAudit audit, CancellationToken ct) =>
            {
                await using var session = store.QuerySession();
                var trail = await session.Events.AggregateStreamAsync<DataProtectionAuditTrail>(audit.StreamIdFor(personId), ct: ct);
                return TypedResults.Ok(trail?.Steps ?? []);
            })
            .RequireAuthorization(Roles.DataProtectionOfficer)
            .WithName("DataProtectionAudit")
            .WithTags("Data protection")
            .WithSummary("The audited data-protection steps for one person: who, when, what (no personal data).");
        return app;
    }
}
