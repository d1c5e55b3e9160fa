using Microsoft.AspNetCore.Http.HttpResults;
using Referrals.EventStore;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.Timeline;

/// <summary>One line of the timeline as shown: when, what, who, the words (if any) and what the GP record gets from it.</summary>
public sealed record TimelineItem(DateTimeOffset At, string Kind, string Summary, string? Detail, string? Actor, GpRecordEntry? GpRecord);

public sealed record TimelineView(Guid JourneyId, IReadOnlyList<TimelineItem> Entries);

public static class TimelineEndpoints
{
    public static RouteGroupBuilder MapTimeline(this RouteGroupBuilder journeys)
    {
        journeys.MapGet("/{journeyId:guid}/timeline", Get).WithName("GetJourneyTimeline")
            .WithSummary("The whole journey in order, from referral to closure: triage and assignment, the work, and what went to the GP record.");
        return journeys;
    }

    private static async Task<Results<Ok<TimelineView>, ProblemHttpResult>> Get(Guid journeyId, HttpContext http, JourneyReads reads, IDocumentStore store)
    {
        var read = await reads.ReadAsync(http, journeyId, "GetJourneyTimeline");
        if (read.Journey is null)
        {
            return read.Refusal!;
        }

        await using var session = store.QuerySession();
        var timeline = await session.LoadAsync<JourneyTimeline>(journeyId, http.RequestAborted) ?? new JourneyTimeline { Id = journeyId };
        return TypedResults.Ok(new TimelineView(journeyId, timeline.Entries
            .Select(e => new TimelineItem(e.At, e.Kind, e.Summary, timeline.Details?.GetValueOrDefault(e.Key), e.Actor, e.GpRecord)).ToList()));
    }
}
