using System.Security.Claims;
using Referrals.ServiceDefaults.Auth;
using Referrals.SupportPlan.Escalating;

namespace Referrals.SupportPlan.Journeys;

public enum AccessKind
{
    Read,
    Write,
}

/// <summary>Whether a user may see or change a journey, and on what basis (recorded in the access audit as the "why").</summary>
public sealed record AccessDecision(bool Allowed, string Basis);

/// <summary>
/// A link worker reads and writes only their own caseload (the journey's worker is their <c>link_worker_id</c> claim); a team
/// lead reads and writes the journeys of their programme(s) (the <c>programme</c> claim). Nobody else sees a journey here,
/// with two narrow exceptions: the worker on a home visit may always check out of it (<see cref="EvaluateHomeVisitCheckOut"/>),
/// and a duty worker asked about an escalation may read, never write, the journey for a while (<see cref="EvaluateRead"/>).
/// </summary>
public static class JourneyAccess
{
    public static AccessDecision Evaluate(ClaimsPrincipal user, Journey journey)
    {
        if (user.IsInRole(Roles.TeamLead) && user.Programmes().Contains(journey.ProgrammeId, StringComparer.Ordinal))
        {
            return new AccessDecision(true, "team lead of the journey's programme");
        }

        if (user.IsInRole(Roles.LinkWorker) && user.LinkWorkerId() is { Length: > 0 } worker &&
            string.Equals(worker, journey.LinkWorkerId, StringComparison.Ordinal))
        {
            return new AccessDecision(true, "assigned link worker");
        }

        return new AccessDecision(false, "not the assigned link worker nor a team lead of the journey's programme");
    }

    /// <summary>
    /// Reading a journey (HAZ-001 C15): whoever may write it, and also a link worker triage's duty chain asked about an escalation
    /// of one of its referrals, within the grant's period (<see cref="DutyWorkerReads"/>), in a programme their token names.
    /// Writes never ask this: the duty worker reads the journey, and a team lead or its worker changes it.
    /// </summary>
    public static AccessDecision EvaluateRead(ClaimsPrincipal user, Journey journey, IEnumerable<DutyReadGrant> grants, DateTimeOffset now,
        TimeSpan period)
    {
        var access = Evaluate(user, journey);
        if (access.Allowed || !user.IsInRole(Roles.LinkWorker) || user.LinkWorkerId() is not { Length: > 0 } worker ||
            !user.Programmes().Contains(journey.ProgrammeId, StringComparer.Ordinal))
        {
            return access;
        }

        return grants.Where(g => DutyWorkerReads.Allows(g, worker, journey, now, period)).MaxBy(g => g.AskedAt) is { } grant
            ? new AccessDecision(true, DutyWorkerReads.Basis(grant))
            : access;
    }

    /// <summary>Who a home visit is checked in under: the caller's link worker id, or their user id if they have none.</summary>
    public static string HomeVisitWorker(this ClaimsPrincipal user) => user.LinkWorkerId() ?? user.UserId();

    /// <summary>
    /// Checking out of a home visit (HAZ-008): whoever may write the journey, and also the worker who checked in to that visit
    /// even if the journey has since moved to another worker - their check-out must never depend on who holds the caseload.
    /// This grants the visiting worker nothing else on the journey; only the check-out endpoint asks this question.
    /// </summary>
    public static AccessDecision EvaluateHomeVisitCheckOut(ClaimsPrincipal user, Journey journey, Guid visitId)
    {
        var access = Evaluate(user, journey);
        if (access.Allowed)
        {
            return access;
        }

        return journey.Visits.Find(v => v.VisitId == visitId) is { } visit &&
            string.Equals(visit.LinkWorkerId, user.HomeVisitWorker(), StringComparison.Ordinal)
            ? new AccessDecision(true, "link worker checked in to the home visit")
            : access;
    }
}
