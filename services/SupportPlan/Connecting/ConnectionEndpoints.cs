using Microsoft.AspNetCore.Http.HttpResults;
using Referrals.EventStore;
using Referrals.ServiceDefaults.Auth;
using Referrals.SupportPlan.Directory;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.Connecting;

public static class ConnectionEndpoints
{
    public static RouteGroupBuilder MapConnections(this RouteGroupBuilder journeys)
    {
        journeys.MapGet("/{journeyId:guid}/suggestions", Suggest).WithName("SuggestServices")
            .WithSummary("Directory services that match the person's open needs and area, best first.");
        journeys.MapPost("/{journeyId:guid}/connections", Make).WithName("MakeConnection")
            .WithSummary("Signpost the person to a service, or refer them onward (with consent to share and what was shared).");
        journeys.MapPost("/{journeyId:guid}/connections/{connectionId:guid}/acknowledgement",
                (Guid journeyId, Guid connectionId, AcknowledgeOnwardReferral command, HttpContext http, JourneyCommands commands) =>
                    commands.ExecuteAsync(http, journeyId, "AcknowledgeOnwardReferral",
                        (j, now) => ConnectionDecider.Acknowledge(j, connectionId, command, http.User.UserId(), now)))
            .WithName("AcknowledgeOnwardReferral").WithSummary("The receiving service acknowledged an onward referral.");
        journeys.MapPost("/{journeyId:guid}/connections/{connectionId:guid}/outcome",
                (Guid journeyId, Guid connectionId, RecordConnectionOutcome command, HttpContext http, JourneyCommands commands) =>
                    commands.ExecuteAsync(http, journeyId, "RecordConnectionOutcome",
                        (j, now) => ConnectionDecider.RecordOutcome(j, connectionId, command, http.User.UserId(), now)))
            .WithName("RecordConnectionOutcome").WithSummary("Attended, did not attend, declined, or service full.");
        return journeys;
    }

    private static async Task<Results<Ok<IReadOnlyList<Suggestion>>, ProblemHttpResult>> Suggest(Guid journeyId, HttpContext http, JourneyReads reads,
        IDocumentStore store)
    {
        var read = await reads.ReadAsync(http, journeyId, "SuggestServices");
        if (read.Journey is not { } journey)
        {
            return read.Refusal!;
        }

        await using var session = store.QuerySession();
        var entries = await session.QueryAsync<DirectoryEntry>("data->>'programmeId' = ? and (data->>'active')::boolean", [journey.ProgrammeId],
            http.RequestAborted);
        return TypedResults.Ok(Suggestions.For(journey, entries));
    }

    private static async Task<JourneyResult> Make(Guid journeyId, MakeConnection command, HttpContext http, JourneyCommands commands, IDocumentStore store)
    {
        DirectoryEntry? entry = null;
        if (command.DirectoryEntryId is { } entryId)
        {
            await using var session = store.QuerySession();
            entry = await session.LoadAsync<DirectoryEntry>(entryId, http.RequestAborted);
        }

        var connectionId = Guid.CreateVersion7();
        return await commands.ExecuteAsync(http, journeyId, "MakeConnection",
            (journey, now) => ConnectionDecider.Make(journey, command, entry, connectionId, http.User.UserId(), now), _ => connectionId);
    }
}
