using System.Security.Claims;
using Referrals.ServiceDefaults.Auth;

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
/// lead reads and writes the journeys of their programme(s) (the <c>programme</c> claim). Nobody else sees a journey here.
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
}
