using Microsoft.AspNetCore.Http.HttpResults;
using Referrals.Contracts.GpRecords;
using Referrals.EventStore;
using Referrals.GpRecords.Recording;
using Referrals.ServiceDefaults.Auth;
using Referrals.ServiceDefaults.Problems;

namespace Referrals.GpRecords.Delivering;

public sealed record DeliveryView(
    Guid DeliveryId,
    Guid JourneyId,
    int Sequence,
    string PracticeOds,
    string State,
    int Attempts,
    string? Reason,
    IReadOnlyList<string> MessageKinds,
    int ResourceCount,
    DateTimeOffset QueuedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? NextAttemptAt)
{
    public static DeliveryView From(DeliveryStatusDocument d) => new(d.Id, d.JourneyId, d.Sequence, d.PracticeOds, d.State.ToString(), d.Attempts,
        d.LastReason, d.MessageKinds, d.ResourceCount, d.QueuedAt, d.UpdatedAt, d.NextAttemptAt);
}

/// <summary>Operators (programme admins): see parked deliveries and replay them once the cause is fixed.</summary>
public static class DeliveryEndpoints
{
    public static void MapDeliveryEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/deliveries").RequireAuthorization(Roles.ProgrammeAdmin).WithTags("Deliveries");
        group.MapGet("/parked", ListParkedAsync);
        group.MapGet("/", ListForJourneyAsync);
        group.MapPost("/{deliveryId:guid}/replay", ReplayAsync);
    }

    private static async Task<Ok<IReadOnlyList<DeliveryView>>> ListParkedAsync(IDocumentStore store, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var parked = await session.QueryAsync<DeliveryStatusDocument>("data->>'state' = ? order by data->>'updatedAt'",
            [nameof(DeliveryState.Parked)], ct);
        return TypedResults.Ok<IReadOnlyList<DeliveryView>>([.. parked.Select(DeliveryView.From)]);
    }

    private static async Task<Ok<IReadOnlyList<DeliveryView>>> ListForJourneyAsync(Guid? journeyId, IDocumentStore store, CancellationToken ct)
    {
        if (journeyId is null)
        {
            throw RequestValidationException.For("journeyId", "Name the journey whose deliveries to list.");
        }

        await using var session = store.QuerySession();
        var deliveries = await session.QueryAsync<DeliveryStatusDocument>("data->>'journeyId' = ? order by (data->>'sequence')::int",
            [journeyId.Value.ToString()], ct);
        return TypedResults.Ok<IReadOnlyList<DeliveryView>>([.. deliveries.Select(DeliveryView.From)]);
    }

    private static async Task<Results<Accepted<DeliveryView>, NotFound>> ReplayAsync(Guid deliveryId, HttpContext http, IDocumentStore store,
        TimeProvider clock, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var status = await session.LoadAsync<DeliveryStatusDocument>(deliveryId, ct);
        if (status is null)
        {
            return TypedResults.NotFound();
        }

        var queueId = ResourceIds.DeliveryQueue(status.JourneyId);
        var stream = await session.Events.FetchForExclusiveWriting<DeliveryQueue>(queueId, ct);
        var events = stream.Aggregate is { } queue ? DeliveryDecider.Replay(queue, deliveryId, http.User.UserId(), clock.GetUtcNow()) : [];
        if (events.Count == 0)
        {
            throw new DomainRuleException("Only a parked delivery can be replayed.");
        }

        stream.AppendMany(events);
        session.Outbox.Publish(new GpDeliveriesDue(stream.Aggregate!.PersonId, status.JourneyId), queueId);
        await session.SaveChangesAsync(ct);
        var updated = await session.LoadAsync<DeliveryStatusDocument>(deliveryId, ct);
        return TypedResults.Accepted($"/deliveries?journeyId={status.JourneyId}", DeliveryView.From(updated ?? status));
    }
}
