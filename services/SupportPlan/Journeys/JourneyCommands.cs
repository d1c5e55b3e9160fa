using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Referrals.EventStore;
using Referrals.ServiceDefaults.Http;
using Referrals.SupportPlan.AccessAudit;

namespace Referrals.SupportPlan.Journeys;

/// <summary>The answer to a change of a journey: its new version (also the ETag) and the id of anything it created.</summary>
public sealed record JourneyWritten(Guid JourneyId, long Version, Guid? Id = null);

/// <summary>
/// Who may make a change, and whether it honours If-Match. Nearly every command uses <see cref="Default"/>; a command that
/// departs from it says why where it does. Whether If-Match is required is said on the endpoint
/// (<see cref="IfMatchRequiredEndpoints.RequireIfMatch"/>), with its OpenAPI 428.
/// </summary>
public sealed record WriteRules(Func<ClaimsPrincipal, Journey, AccessDecision> Access, bool HonoursIfMatch = true)
{
    public static readonly WriteRules Default = new(JourneyAccess.Evaluate);
}

/// <summary>
/// The one path by which HTTP changes a journey: load it, check the caller may write it (and audit the access), check the
/// If-Match version, decide (pure), append, apply the effects (outbox, timers), save, return the new ETag.
/// A stale If-Match gets 412 with the current version, so the client can reload and apply its change again; nothing is
/// written. A full replacement (an endpoint marked <see cref="IfMatchRequired"/>: what matters, strengths, barriers) sent
/// without If-Match gets 428 and nothing is written (HAZ-012: a stale screen would overwrite newer words), but only after the
/// 404 and 403 a read would answer: 428 tells the client to read the journey. Any other change without If-Match is retried
/// on the fresh state when a concurrent change wins (the decision is made again). A command whose <see cref="WriteRules"/>
/// do not honour If-Match (home-visit check-in and check-out, raising a safeguarding concern) is always treated as if sent without it.
/// </summary>
public sealed class JourneyCommands(IDocumentStore store, AccessAuditLog audit, TimeProvider clock, IOptions<SupportPlanOptions> options)
{
    private const int Attempts = 3;

    public JourneyPolicy Policy => options.Value.ToPolicy();

    /// <summary>A change answering <see cref="JourneyWritten"/>: 201 when <paramref name="created"/> names what it created, else 200.</summary>
    public Task<JourneyResult> ExecuteAsync(HttpContext http, Guid journeyId, string operation,
        Func<Journey, DateTimeOffset, IReadOnlyList<object>> decide, Func<Journey, Guid?>? created = null, WriteRules? rules = null) =>
        ExecuteAsync(http, journeyId, operation, decide,
            (journey, version, _) => new JourneyWritten(journeyId, version, created?.Invoke(journey)),
            created is null ? null : _ => $"/journeys/{journeyId}", rules);

    public async Task<Results<Ok<TResponse>, Created<TResponse>, ProblemHttpResult>> ExecuteAsync<TResponse>(HttpContext http, Guid journeyId,
        string operation, Func<Journey, DateTimeOffset, IReadOnlyList<object>> decide, Func<Journey, long, IReadOnlyList<object>, TResponse> respond,
        Func<TResponse, string>? location = null, WriteRules? rules = null)
    {
        rules ??= WriteRules.Default;
        var ct = http.RequestAborted;
        var expected = rules.HonoursIfMatch ? http.Request.ExpectedVersion() : null;
        var ifMatchRequired = IfMatchRequired.For(http);
        if (ifMatchRequired && !rules.HonoursIfMatch)
        {
            throw new InvalidOperationException($"{operation} requires If-Match but its write rules ignore it.");
        }

        AccessDecision? audited = null;
        for (var attempt = 1; ; attempt++)
        {
            await using var session = store.LightweightSession();
            var stream = await session.Events.FetchForWriting<Journey>(journeyId, ct);
            if (stream.Aggregate is not { } journey)
            {
                return NotFound();
            }

            var access = rules.Access(http.User, journey);
            if (audited is null || audited.Allowed != access.Allowed)
            {
                await audit.RecordAsync(http.User, http, [journeyId], AccessKind.Write, operation, access, ct);
                audited = access;
            }

            if (!access.Allowed)
            {
                return Forbidden();
            }

            if (ifMatchRequired && expected is null)
            {
                return PreconditionRequired(journeyId);
            }

            if (expected is { } version && version != stream.StartingVersion)
            {
                return VersionConflict(http, journeyId, stream.StartingVersion);
            }

            IReadOnlyList<object> events;
            try
            {
                events = decide(journey, clock.GetUtcNow());
            }
            catch (JourneyPartNotFoundException missing)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: missing.Message);
            }

            var after = Fold.Apply(journey, events)!;
            if (events.Count > 0)
            {
                stream.AppendMany(events);
                JourneyEffects.Apply(session, journey, after, events, Policy);
            }

            var newVersion = stream.CurrentVersion; // read before saving: the session forgets its pending events once committed
            try
            {
                await session.SaveChangesAsync(ct);
            }
            catch (ConcurrencyException) when (expected is not null)
            {
                return VersionConflict(http, journeyId, await CurrentVersionAsync(journeyId, ct));
            }
            catch (ConcurrencyException) when (attempt < Attempts)
            {
                continue;
            }

            after.Version = newVersion;
            http.Response.SetETag(newVersion);
            var response = respond(after, newVersion, events);
            return location is null ? TypedResults.Ok(response) : TypedResults.Created(location(response), response);
        }
    }

    private async Task<long> CurrentVersionAsync(Guid journeyId, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return (await session.Events.FetchStreamStateAsync(journeyId, ct))?.Version ?? 0;
    }

    public static ProblemHttpResult NotFound() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such journey");

    public static ProblemHttpResult Forbidden() =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "This journey is not in your caseload or programme");

    /// <summary>428: a full replacement sent without If-Match. Nothing is written; the body says to read the journey first.</summary>
    public static ProblemHttpResult PreconditionRequired(Guid journeyId) => IfMatchRequired.Problem("journey", $"/journeys/{journeyId}");

    /// <summary>412: the journey changed since the client read it. The body and the ETag header carry the current version.</summary>
    public static ProblemHttpResult VersionConflict(HttpContext http, Guid journeyId, long currentVersion)
    {
        http.Response.SetETag(currentVersion);
        return TypedResults.Problem(
            statusCode: StatusCodes.Status412PreconditionFailed,
            title: "The journey was changed by someone else",
            detail: "Nothing was saved. Reload the journey, apply your change again and send it with the new ETag in If-Match.",
            extensions: new Dictionary<string, object?>
            {
                ["currentVersion"] = currentVersion,
                ["reload"] = $"/journeys/{journeyId}",
            });
    }
}
