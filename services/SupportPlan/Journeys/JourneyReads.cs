using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Referrals.EventStore;
using Referrals.ServiceDefaults.Auth;
using Referrals.SupportPlan.AccessAudit;
using Referrals.SupportPlan.Escalating;

namespace Referrals.SupportPlan.Journeys;

/// <summary>The outcome of reading a journey the caller asked for: the journey, or why not (404 or 403).</summary>
public sealed record JourneyRead(Journey? Journey, ProblemHttpResult? Refusal);

/// <summary>
/// Loads a journey for a reader, checks the caller may see it and records the read in the access audit (reads never touch
/// the journey stream). The journey document is maintained inline, so it is as current as the stream and its version is the ETag.
/// A link worker who is not the journey's may still read it on a duty worker's grant (<see cref="JourneyAccess.EvaluateRead"/>).
/// </summary>
public sealed class JourneyReads(IDocumentStore store, AccessAuditLog audit, TimeProvider clock, IOptions<SupportPlanOptions> options)
{
    public async Task<JourneyRead> ReadAsync(HttpContext http, Guid journeyId, string operation)
    {
        await using var session = store.QuerySession();
        var journey = await session.LoadAsync<Journey>(journeyId, http.RequestAborted);
        if (journey is not null && journey.Measurements.Exists(m => m.Episode == 0))
        {
            journey = await EpisodesOfMeasurementsAsync(session, journey, http.RequestAborted);
        }

        if (journey is null)
        {
            return new JourneyRead(null, JourneyCommands.NotFound());
        }

        var grants = await DutyGrantsAsync(session, http, journey);
        var access = JourneyAccess.EvaluateRead(http.User, journey, grants, clock.GetUtcNow(), options.Value.ToPolicy().DutyWorkerRead);
        await audit.RecordAsync(http.User, http, [journeyId], AccessKind.Read, operation, access, http.RequestAborted);
        return access.Allowed ? new JourneyRead(journey, null) : new JourneyRead(null, JourneyCommands.Forbidden());
    }

    /// <summary>The duty workers' grants of this link worker on the journey's referrals; none asked for anyone else.</summary>
    private static async Task<IReadOnlyList<DutyReadGrant>> DutyGrantsAsync(IQuerySession session, HttpContext http, Journey journey) =>
        http.User.IsInRole(Roles.LinkWorker) && http.User.LinkWorkerId() is { Length: > 0 } worker &&
        !string.Equals(worker, journey.LinkWorkerId, StringComparison.Ordinal)
            ? await session.QueryAsync<DutyReadGrant>("data->>'linkWorkerId' = ? and data->>'referralId' = any(?)",
                [worker, DutyWorkerReads.ReferralIdsOf(journey)], http.RequestAborted)
            : [];

    /// <summary>
    /// A journey document stored before measurements carried their episode (the document is updated event by event, never
    /// rebuilt, so it keeps them as they were). On a journey that has opened once they are all of episode 1; after a reopening
    /// only the stream can tell, so the journey is folded from it, where each measurement takes the episode it was recorded in.
    /// </summary>
    internal static async Task<Journey?> EpisodesOfMeasurementsAsync(IQuerySession session, Journey stored, CancellationToken ct) =>
        stored.Episode <= 1
            ? stored with { Measurements = [.. stored.Measurements.Select(m => m.Episode == 0 ? m with { Episode = 1 } : m)] }
            : await session.Events.AggregateStreamAsync<Journey>(stored.Id, ct: ct);

    /// <summary>Records that the caller read a list of journeys (one entry per journey shown).</summary>
    public Task RecordListAsync(HttpContext http, IReadOnlyCollection<Guid> journeyIds, string operation, string basis) =>
        audit.RecordAsync(http.User, http, journeyIds, AccessKind.Read, operation, new AccessDecision(true, basis), http.RequestAborted);
}
