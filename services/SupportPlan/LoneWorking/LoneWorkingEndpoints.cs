using Microsoft.AspNetCore.Http.HttpResults;
using Referrals.EventStore;
using Referrals.ServiceDefaults.Auth;
using Referrals.ServiceDefaults.Problems;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.LoneWorking;

/// <summary>
/// One of the caller's own home visits still checked in, on whichever journey and whoever holds that journey now: what the
/// worker needs to find and check out of it. No personal data: the referral id is the reference workers already use.
/// </summary>
public sealed record MyOpenHomeVisit(Guid JourneyId, Guid ReferralId, Guid VisitId, DateTimeOffset CheckedInAt, DateTimeOffset ExpectedEnd,
    DateTimeOffset? OverdueAlertRaisedAt, DateTimeOffset? AlertAcknowledgedAt);

public static class LoneWorkingEndpoints
{
    public static RouteGroupBuilder MapLoneWorking(this RouteGroupBuilder journeys)
    {
        journeys.MapGet("/home-visits/mine", MyOpenVisits).WithName("ListMyOpenHomeVisits")
            .WithSummary("The caller's own home visits still checked in, on any journey, even one since reassigned to another worker.");
        journeys.MapPost("/{journeyId:guid}/home-visits", CheckIn).WithName("CheckInHomeVisit")
            .WithSummary("Check in on arrival at a home visit; an overdue alert goes to the team lead if there is no check-out by the expected end. " +
                         "A resend with the same idempotencyKey and expectedEnd records nothing new and answers as the first did, while that visit is " +
                         "checked in; once it is checked out, a resend is refused (409). A changed expectedEnd is a new check-in. If-Match is ignored.");
        journeys.MapPost("/{journeyId:guid}/home-visits/{visitId:guid}/check-out", CheckOut).WithName("CheckOutHomeVisit")
            .WithSummary("Check out on leaving; records the visit as a contact.");
        journeys.MapPost("/{journeyId:guid}/home-visits/{visitId:guid}/alert-acknowledgement", Acknowledge).WithName("AcknowledgeLoneWorkingAlert")
            .WithSummary("A team lead takes charge of an overdue-visit alert.");
        return journeys;
    }

    /// <summary>
    /// The visiting worker may check out of a visit on a journey they no longer hold (HAZ-008), so they must be able to find
    /// it: listed by who checked in, never by who holds the journey. Only the caller's own visits, so nothing to refuse.
    /// </summary>
    private static async Task<Ok<IReadOnlyList<MyOpenHomeVisit>>> MyOpenVisits(HttpContext http, IDocumentStore store, JourneyReads reads)
    {
        var worker = http.User.HomeVisitWorker();
        await using var session = store.QuerySession();
        var journeys = await session.QueryAsync<Journey>(OpenHomeVisits.CheckedInBy, [worker], http.RequestAborted);
        await reads.RecordListAsync(http, journeys.Select(j => j.Id).ToList(), "ListMyOpenHomeVisits", "link worker checked in to the home visit");
        IReadOnlyList<MyOpenHomeVisit> visits = journeys
            .SelectMany(j => j.Visits.Where(v => v.IsOpen && string.Equals(v.LinkWorkerId, worker, StringComparison.Ordinal))
                .Select(v => new MyOpenHomeVisit(j.Id, j.Referral.ReferralId, v.VisitId, v.CheckedInAt, v.ExpectedEnd, v.OverdueAlertRaisedAt,
                    v.AlertAcknowledgedAt)))
            .OrderBy(v => v.CheckedInAt).ToList();
        return TypedResults.Ok(visits);
    }

    private static Task<JourneyResult> CheckIn(Guid journeyId, CheckInHomeVisit command, HttpContext http, JourneyCommands commands)
    {
        var worker = http.User.HomeVisitWorker();
        var visitId = command.IdempotencyKey is { } key && key != Guid.Empty ? LoneWorkingDecider.VisitIdOf(journeyId, worker, key, command.ExpectedEnd) : Guid.CreateVersion7();
        return commands.ExecuteAsync(http, journeyId, "CheckInHomeVisit",
            (journey, now) => LoneWorkingDecider.CheckIn(journey, command, visitId, worker, now), _ => visitId, CheckInRules);
    }

    /// <summary>
    /// If-Match is not honoured: a check-in is decided on the journey as it stands (workable, no visit open), so a stale page
    /// must not hold up a worker at the door; and a resend must find its visit, although its version moved on with that visit.
    /// </summary>
    private static readonly WriteRules CheckInRules = WriteRules.Default with { HonoursIfMatch = false };

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
