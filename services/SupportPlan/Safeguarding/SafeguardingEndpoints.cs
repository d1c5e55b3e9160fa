using Referrals.ServiceDefaults.Auth;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.Safeguarding;

public static class SafeguardingEndpoints
{
    public static RouteGroupBuilder MapSafeguarding(this RouteGroupBuilder journeys)
    {
        journeys.MapPost("/{journeyId:guid}/safeguarding-concerns", Raise).WithName("RaiseSafeguardingConcern")
            .WithSummary("Raise a safeguarding concern or crisis; triage escalates it, GP-records records it restricted. " +
                         "A resend with the same idempotencyKey and the same content raises nothing new and answers as the first did; a different concern " +
                         "under a used key is raised as a new concern. If-Match is ignored.");
        return journeys;
    }

    private static Task<JourneyResult> Raise(Guid journeyId, RaiseSafeguardingConcern command, HttpContext http, JourneyCommands commands)
    {
        var concernId = command.IdempotencyKey is { } key && key != Guid.Empty
            ? SafeguardingDecider.ConcernIdOf(journeyId, http.User.UserId(), key, command)
            : Guid.CreateVersion7();
        return commands.ExecuteAsync(http, journeyId, "RaiseSafeguardingConcern",
            (journey, now) => SafeguardingDecider.Raise(journey, command, concernId, http.User.UserId(), now), _ => concernId,
            rules: RaisingRules);
    }

    /// <summary>
    /// A concern conflicts with nothing written since the worker's page loaded, so a stale If-Match must not refuse it: a
    /// crisis report has to go through at the first attempt.
    /// </summary>
    private static readonly WriteRules RaisingRules = new(JourneyAccess.Evaluate, HonoursIfMatch: false);
}
