using Referrals.ServiceDefaults.Auth;
using Referrals.ServiceDefaults.Problems;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.LoneWorking;

public static class LoneWorkingEndpoints
{
    public static RouteGroupBuilder MapLoneWorking(this RouteGroupBuilder journeys)
    {
        journeys.MapPost("/{journeyId:guid}/home-visits", CheckIn).WithName("CheckInHomeVisit")
            .WithSummary("Check in on arrival at a home visit; an overdue alert goes to the team lead if there is no check-out by the expected end.");
        journeys.MapPost("/{journeyId:guid}/home-visits/{visitId:guid}/check-out", CheckOut).WithName("CheckOutHomeVisit")
            .WithSummary("Check out on leaving; records the visit as a contact.");
        journeys.MapPost("/{journeyId:guid}/home-visits/{visitId:guid}/alert-acknowledgement", Acknowledge).WithName("AcknowledgeLoneWorkingAlert")
            .WithSummary("A team lead takes charge of an overdue-visit alert.");
        return journeys;
    }

    private static Task<JourneyResult> CheckIn(Guid journeyId, CheckInHomeVisit command, HttpContext http, JourneyCommands commands)
    {
        var visitId = Guid.CreateVersion7();
        var worker = http.User.HomeVisitWorker();
        return commands.ExecuteAsync(http, journeyId, "CheckInHomeVisit",
            (journey, now) => LoneWorkingDecider.CheckIn(journey, command, visitId, worker, now), _ => visitId);
    }

    private static Task<JourneyResult> CheckOut(Guid journeyId, Guid visitId, CheckOutHomeVisit? command, HttpContext http, JourneyCommands commands)
    {
        var contactId = Guid.CreateVersion7();
        return commands.ExecuteAsync(http, journeyId, "CheckOutHomeVisit",
            (journey, now) => LoneWorkingDecider.CheckOut(journey, visitId, command ?? new CheckOutHomeVisit(null, null), contactId,
                http.User.HomeVisitWorker(), http.User.IsInRole(Roles.TeamLead), http.User.UserId(), now),
            rules: CheckOutRules(visitId));
    }

    /// <summary>
    /// The worker on the visit may check out even if the journey was reassigned since they checked in (the decider still allows
    /// only them). If-Match is not honoured: a check-out conflicts with nothing - it records that the worker left, whatever
    /// changed since their page loaded (typically the overdue alert itself), so a stale version must never refuse it.
    /// A concurrent write is still retried on the fresh state.
    /// </summary>
    private static WriteRules CheckOutRules(Guid visitId) =>
        new((user, journey) => JourneyAccess.EvaluateHomeVisitCheckOut(user, journey, visitId), HonoursIfMatch: false);

    private static Task<JourneyResult> Acknowledge(Guid journeyId, Guid visitId, HttpContext http, JourneyCommands commands) =>
        commands.ExecuteAsync(http, journeyId, "AcknowledgeLoneWorkingAlert", (journey, now) => http.User.IsInRole(Roles.TeamLead)
            ? LoneWorkingDecider.AcknowledgeAlert(journey, visitId, http.User.UserId(), now)
            : throw new DomainRuleException("Only a team lead acknowledges an overdue-visit alert."));
}
