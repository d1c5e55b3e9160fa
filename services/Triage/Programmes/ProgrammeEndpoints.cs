using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Referrals.Contracts;
using Referrals.EventStore;
using Referrals.ServiceDefaults.Auth;
using Referrals.ServiceDefaults.Http;
using Referrals.ServiceDefaults.Problems;
using Referrals.Triage.Common;

namespace Referrals.Triage.Programmes;

/// <summary>A programme's configuration as the API shows it; <see cref="ConfigurationVersion"/> is also the ETag.</summary>
public sealed record ProgrammeView(
    string ProgrammeId,
    string Name,
    long ConfigurationVersion,
    EligibilityRules Eligibility,
    TriageRules TriageRules,
    DutyRota DutyRota,
    ServiceLevelTargets ServiceLevels,
    IReadOnlyList<LinkWorkerProfile> LinkWorkers)
{
    public static ProgrammeView From(Programme p) =>
        new(p.ProgrammeId, p.Name, p.Version, p.Eligibility, p.TriageRules, p.DutyRota, p.ServiceLevels, p.LinkWorkers);
}

public sealed record ProgrammeSummary(string ProgrammeId, string Name, long ConfigurationVersion, int ActiveLinkWorkers);

/// <summary>A link worker's profile as sent to PUT /programmes/{programmeId}/link-workers/{linkWorkerId}.</summary>
public sealed record LinkWorkerRequest(
    string DisplayName,
    Tier Tier,
    IReadOnlyList<string>? Practices,
    IReadOnlyList<string>? PostcodeDistricts,
    int? YearlyIntakeLimit,
    int? ActiveCaseloadLimit);

/// <summary>Programme configuration, managed by the programme-admin role for the programmes in their token.</summary>
public static class ProgrammeEndpoints
{
    public static IEndpointRouteBuilder MapProgrammeEndpoints(this IEndpointRouteBuilder app)
    {
        var programmes = app.MapGroup("/programmes").WithTags("Programme configuration");

        programmes.MapGet("/", ListAsync)
            .RequireAuthorization(p => p.RequireRole(Roles.ProgrammeAdmin, Roles.TeamLead))
            .WithSummary("The programmes in the caller's token, with their configuration version.");

        programmes.MapPost("/", DefineAsync)
            .RequireAuthorization(Roles.ProgrammeAdmin)
            .WithSummary("Defines a programme, optionally with its whole configuration.");

        programmes.MapGet("/{programmeId}", GetAsync)
            .RequireAuthorization(p => p.RequireRole(Roles.ProgrammeAdmin, Roles.TeamLead))
            .WithSummary("A programme's configuration; the ETag is the configuration version.");

        programmes.MapPut("/{programmeId}/eligibility", (string programmeId, EligibilityRules body, HttpContext http, ProgrammeAdministration admin,
                CancellationToken ct) => ChangeAsync(programmeId, http, admin, ct, errors => ProgrammeValidation.Eligibility(body, errors, "body"),
                (p, now, actor) => [new EligibilityRulesChanged(p.ProgrammeId, ProgrammeValidation.Normalise(body), actor, now)]))
            .RequireAuthorization(Roles.ProgrammeAdmin)
            .RequireIfMatch()
            .WithSummary("Replaces the eligibility rules (If-Match required: 428 without it, 412 when stale).");

        programmes.MapPut("/{programmeId}/triage-rules", (string programmeId, TriageRules body, HttpContext http, ProgrammeAdministration admin,
                CancellationToken ct) => ChangeAsync(programmeId, http, admin, ct, errors => ProgrammeValidation.Triage(body, errors, "body"),
                (p, now, actor) => [new TriageRulesChanged(p.ProgrammeId, body, actor, now)]))
            .RequireAuthorization(Roles.ProgrammeAdmin)
            .RequireIfMatch()
            .WithSummary("Replaces the triage rules, including the escalation indicator lists (If-Match required: 428 without it, 412 when stale).");

        programmes.MapPut("/{programmeId}/duty-rota", (string programmeId, DutyRota body, HttpContext http, ProgrammeAdministration admin,
                CancellationToken ct) => ChangeAsync(programmeId, http, admin, ct, errors => ProgrammeValidation.Rota(body, errors, "body"),
                (p, now, actor) =>
                {
                    // Checked under the programme lock, against the workers the rota will run with.
                    var errors = new Errors();
                    ProgrammeValidation.RotaWorkers(body, p.LinkWorkers, errors, "body");
                    errors.ThrowIfAny();
                    return [new DutyRotaChanged(p.ProgrammeId, body, actor, now)];
                }))
            .RequireAuthorization(Roles.ProgrammeAdmin)
            .RequireIfMatch()
            .WithSummary("Replaces the duty rota and escalation chain (If-Match required: 428 without it, 412 when stale).");

        programmes.MapPut("/{programmeId}/service-levels", (string programmeId, ServiceLevelTargets body, HttpContext http, ProgrammeAdministration admin,
                CancellationToken ct) => ChangeAsync(programmeId, http, admin, ct, errors => ProgrammeValidation.ServiceLevels(body, errors, "body"),
                (p, now, actor) => [new ServiceLevelsChanged(p.ProgrammeId, body, actor, now)]))
            .RequireAuthorization(Roles.ProgrammeAdmin)
            .RequireIfMatch()
            .WithSummary("Replaces the service levels (first contact within N working days, by priority; If-Match required: 428 without it, 412 when stale).");

        programmes.MapPut("/{programmeId}/link-workers/{linkWorkerId}", (string programmeId, string linkWorkerId, LinkWorkerRequest body,
                HttpContext http, ProgrammeAdministration admin, CancellationToken ct) =>
            {
                var worker = new LinkWorkerProfile(linkWorkerId, body.DisplayName, body.Tier, body.Practices ?? [], body.PostcodeDistricts ?? [],
                    body.YearlyIntakeLimit ?? LinkWorkerProfile.DefaultYearlyIntakeLimit, body.ActiveCaseloadLimit, Active: true);
                return ChangeAsync(programmeId, http, admin, ct, errors => ProgrammeValidation.Worker(worker, errors, "body"),
                    (p, now, actor) => [new LinkWorkerConfigured(p.ProgrammeId, ProgrammeValidation.Normalise(worker), actor, now)]);
            })
            .RequireAuthorization(Roles.ProgrammeAdmin)
            .RequireIfMatch()
            .WithSummary("Adds a link worker or replaces their profile (default 250 new people a year; If-Match required: 428 without it, 412 when stale).");

        // A retirement replaces nothing: it is checked against the configuration as it stands (refused while on the rota), so If-Match stays optional.
        programmes.MapDelete("/{programmeId}/link-workers/{linkWorkerId}", (string programmeId, string linkWorkerId, HttpContext http,
                ProgrammeAdministration admin, CancellationToken ct) => ChangeAsync(programmeId, http, admin, ct, _ => { },
                (p, now, actor) =>
                {
                    ProgrammeValidation.Retirement(p, linkWorkerId);
                    return [new LinkWorkerRetired(p.ProgrammeId, linkWorkerId, actor, now)];
                }))
            .RequireAuthorization(Roles.ProgrammeAdmin)
            .WithSummary("Retires a link worker: no new work; a team lead reassigns their caseload. A duty worker on the rota is taken off it first.");

        return app;
    }

    private static async Task<Ok<IReadOnlyList<ProgrammeSummary>>> ListAsync(ClaimsPrincipal user, IDocumentStore store, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var mine = user.Programmes().Select(StreamIds.Programme).Cast<object>().ToList();
        var programmes = await session.LoadManyAsync<Programme>(mine, ct);
        return TypedResults.Ok<IReadOnlyList<ProgrammeSummary>>(programmes.OrderBy(p => p.ProgrammeId, StringComparer.Ordinal)
            .Select(p => new ProgrammeSummary(p.ProgrammeId, p.Name, p.Version, p.ActiveWorkers.Count())).ToList());
    }

    private static async Task<Results<Created<ProgrammeView>, ForbidHttpResult>> DefineAsync(DefineProgramme body, ClaimsPrincipal user,
        HttpContext http, ProgrammeAdministration admin, CancellationToken ct)
    {
        if (body.ProgrammeId is not null && !user.WorksIn(body.ProgrammeId))
        {
            return TypedResults.Forbid();
        }

        var programme = await admin.DefineAsync(body, user.UserId(), ct);
        http.Response.SetETag(programme.Version);
        return TypedResults.Created($"/programmes/{programme.ProgrammeId}", ProgrammeView.From(programme));
    }

    private static async Task<Results<Ok<ProgrammeView>, NotFound, ForbidHttpResult>> GetAsync(string programmeId, ClaimsPrincipal user,
        HttpContext http, IDocumentStore store, CancellationToken ct)
    {
        if (!user.WorksIn(programmeId))
        {
            return TypedResults.Forbid();
        }

        await using var session = store.QuerySession();
        var programme = await session.LoadAsync<Programme>(StreamIds.Programme(programmeId), ct);
        if (programme is null)
        {
            return TypedResults.NotFound();
        }

        http.Response.SetETag(programme.Version);
        return TypedResults.Ok(ProgrammeView.From(programme));
    }

    /// <summary>
    /// The one path by which HTTP changes a programme's configuration. An endpoint marked <see cref="IfMatchRequired"/> (each
    /// PUT replaces a section, or a worker's profile, as a whole) sent without If-Match gets 428 and nothing is written
    /// (HAZ-012): from a stale screen it would silently undo another admin's change, such as a duty slot they added.
    /// Answers as a read would first (403 outside the caller's programmes, 404 for a programme that does not exist): 428 tells
    /// the client to read the configuration, so it is never the answer for one that is not there. The body is checked after
    /// both, under the programme lock.
    /// </summary>
    private static async Task<Results<Ok<ProgrammeView>, NotFound, ForbidHttpResult, ProblemHttpResult>> ChangeAsync(string programmeId, HttpContext http,
        ProgrammeAdministration admin, CancellationToken ct, Action<Errors> validate, Func<Programme, DateTimeOffset, string, IReadOnlyList<object>> change)
    {
        if (!http.User.WorksIn(programmeId))
        {
            return TypedResults.Forbid();
        }

        var expected = http.Request.ExpectedVersion();
        var ifMatchAbsent = expected is null && IfMatchRequired.For(http);
        var actor = http.User.UserId();
        var updated = await admin.ChangeAsync(programmeId, expected, (p, now) =>
        {
            if (ifMatchAbsent)
            {
                return []; // nothing written: answered 428 below, now that the programme is known to exist
            }

            var errors = new Errors();
            validate(errors);
            errors.ThrowIfAny();
            return change(p, now, actor);
        }, actor, ct);
        if (updated is null)
        {
            return TypedResults.NotFound();
        }

        if (ifMatchAbsent)
        {
            return IfMatchRequired.Problem("programme configuration", $"/programmes/{programmeId}");
        }

        http.Response.SetETag(updated.Version);
        return TypedResults.Ok(ProgrammeView.From(updated));
    }
}
