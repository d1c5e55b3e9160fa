using Microsoft.AspNetCore.Http.HttpResults;
using Referrals.EventStore;
using Referrals.ServiceDefaults.Auth;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.AccessAudit;

public static class AccessAuditEndpoints
{
    public const string AuditorsPolicy = "access-auditors";

    public static IEndpointRouteBuilder MapAccessAudit(this IEndpointRouteBuilder app)
    {
        app.MapGet("/journeys/{journeyId:guid}/access-audit", Get).RequireAuthorization(AuditorsPolicy).WithTags("Access audit")
            .WithName("GetJourneyAccessAudit")
            .WithSummary("Who read or changed the journey, when, what and why (team leads of its programme; data protection officers).");
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<AccessAuditEntry>>, ProblemHttpResult>> Get(Guid journeyId, HttpContext http, IDocumentStore store,
        AccessAuditLog audit)
    {
        if (!http.User.IsInRole(Roles.DataProtectionOfficer))
        {
            await using var session = store.QuerySession();
            var journey = await session.LoadAsync<Journey>(journeyId, http.RequestAborted);
            if (journey is null)
            {
                return JourneyCommands.NotFound();
            }

            if (!http.User.IsInRole(Roles.TeamLead) || !http.User.Programmes().Contains(journey.ProgrammeId, StringComparer.Ordinal))
            {
                return JourneyCommands.Forbidden();
            }
        }

        return TypedResults.Ok(await audit.ForJourneyAsync(journeyId, http.RequestAborted));
    }
}
