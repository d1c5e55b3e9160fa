using System.Security.Claims;
using Referrals.ServiceDefaults.Auth;
using Referrals.WebApp.Api;

namespace Referrals.WebApp.Pages.Journeys;

/// <summary>
/// Who is offered the check-out of a home visit (HAZ-008): the rule support-plan enforces, so nobody is shown a button that
/// can only answer 409. The worker who checked in always; a team lead only once they have acknowledged the visit's overdue
/// alert (taken charge of finding the worker); nobody else - not even the worker who now holds the journey.
/// </summary>
public static class HomeVisitCheckOut
{
    /// <summary>Whether the user is the one checked in to the visit (support-plan names them by link worker id, else user id).</summary>
    public static bool IsVisitingWorker(ClaimsPrincipal user, HomeVisit visit) =>
        string.Equals(visit.LinkWorkerId, user.LinkWorkerId() ?? user.UserId(), StringComparison.Ordinal);

    public static bool MayCheckOut(ClaimsPrincipal user, HomeVisit visit) =>
        visit.CheckedIn && (IsVisitingWorker(user, visit) || (user.IsInRole(Roles.TeamLead) && visit.AlertAcknowledgedAt is not null));
}
