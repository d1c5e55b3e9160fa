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
        var worker = http.User.LinkWorkerId() ?? http.User.UserId();
        return commands.ExecuteAsync(http, journeyId, "CheckInHomeVisit",
            (journey, now) => LoneWorkingDecider.CheckIn(journey, command, visitId, worker, now), _ => visitId);
    }

    private static Task<JourneyResult> CheckOut(Guid journeyId, Guid visitId, CheckOutHomeVisit? command, HttpContext http, JourneyCommands commands)
    {
        var contactId = Guid.CreateVersion7();
        return commands.ExecuteAsync(http, journeyId, "CheckOutHomeVisit",
            (journey, now) => LoneWorkingDecider.CheckOut(journey, visitId, command ?? new CheckOutHomeVisit(null, null), contactId, http.User.UserId(), now));
    }

    private static Task<JourneyResult> Acknowledge(Guid journeyId, Guid visitId, HttpContext http, JourneyCommands commands) =>
        commands.ExecuteAsync(http, journeyId, "AcknowledgeLoneWorkingAlert", (journey, now) => http.User.IsInRole(Roles.TeamLead)
            ? LoneWorkingDecider.AcknowledgeAlert(journey, visitId, http.User.UserId(), now)
            : throw new DomainRuleException("Only a team lead acknowledges an overdue-visit alert."));
}
