using Referrals.ServiceDefaults.Auth;
using Referrals.ServiceDefaults.Http;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.Assessing;

public static class AssessmentEndpoints
{
    // What matters, strengths and barriers are each replaced as a whole, so they require If-Match (HAZ-012): without it a
    // stale screen would silently overwrite what someone else recorded since. Needs are added and changed one at a time.
    public static RouteGroupBuilder MapAssessment(this RouteGroupBuilder journeys)
    {
        journeys.MapPut("/{journeyId:guid}/assessment/what-matters", (Guid journeyId, RecordWhatMatters command, HttpContext http, JourneyCommands commands) =>
                commands.ExecuteAsync(http, journeyId, "RecordWhatMatters", (j, now) => AssessmentDecider.WhatMatters(j, command, http.User.UserId(), now)))
            .WithName("RecordWhatMatters").RequireIfMatch().WithSummary("\"What matters to you?\" in the person's own words, as it stands now.");
        journeys.MapPut("/{journeyId:guid}/assessment/strengths", (Guid journeyId, RecordStrengths command, HttpContext http, JourneyCommands commands) =>
                commands.ExecuteAsync(http, journeyId, "RecordStrengths", (j, now) => AssessmentDecider.Strengths(j, command, http.User.UserId(), now)))
            .WithName("RecordStrengths").RequireIfMatch().WithSummary("The person's strengths and assets, as they stand now.");
        journeys.MapPut("/{journeyId:guid}/assessment/barriers", (Guid journeyId, RecordBarriers command, HttpContext http, JourneyCommands commands) =>
                commands.ExecuteAsync(http, journeyId, "RecordBarriers", (j, now) => AssessmentDecider.Barriers(j, command, http.User.UserId(), now)))
            .WithName("RecordBarriers").RequireIfMatch().WithSummary("Barriers to change (transport, confidence, language, disability), as they stand now.");
        journeys.MapPost("/{journeyId:guid}/assessment/needs", IdentifyNeed).WithName("IdentifyNeed").WithSummary("Add a need in one of the domains.");
        journeys.MapPost("/{journeyId:guid}/assessment/needs/{needId:guid}/priority",
                (Guid journeyId, Guid needId, ReprioritiseNeed command, HttpContext http, JourneyCommands commands) =>
                    commands.ExecuteAsync(http, journeyId, "ReprioritiseNeed", (j, now) => AssessmentDecider.Reprioritise(j, needId, command, http.User.UserId(), now)))
            .WithName("ReprioritiseNeed").WithSummary("Change a need's priority.");
        journeys.MapPost("/{journeyId:guid}/assessment/needs/{needId:guid}/resolution",
                (Guid journeyId, Guid needId, ResolveNeed? command, HttpContext http, JourneyCommands commands) =>
                    commands.ExecuteAsync(http, journeyId, "ResolveNeed",
                        (j, now) => AssessmentDecider.Resolve(j, needId, command ?? new ResolveNeed(null), http.User.UserId(), now)))
            .WithName("ResolveNeed").WithSummary("Mark a need resolved.");
        return journeys;
    }

    private static Task<JourneyResult> IdentifyNeed(Guid journeyId, IdentifyNeed command, HttpContext http, JourneyCommands commands)
    {
        var needId = Guid.CreateVersion7();
        return commands.ExecuteAsync(http, journeyId, "IdentifyNeed",
            (journey, now) => AssessmentDecider.Identify(journey, command, needId, http.User.UserId(), now), _ => needId);
    }
}
