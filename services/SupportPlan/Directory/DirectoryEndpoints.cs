using Microsoft.AspNetCore.Http.HttpResults;
using Referrals.EventStore;
using Referrals.ServiceDefaults.Auth;
using Referrals.ServiceDefaults.Http;
using Referrals.SupportPlan.Assessing;
using Referrals.SupportPlan.Connecting;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.Directory;

/// <summary>
/// The community directory. Programme admins manage their programme's entries (the <c>programme</c> claim); link workers,
/// team leads and admins read it. Entries hold organisations' details only, never a person's.
/// </summary>
public static class DirectoryEndpoints
{
    public const string ReadersPolicy = "directory-readers";

    public static IEndpointRouteBuilder MapDirectory(this IEndpointRouteBuilder app)
    {
        var directory = app.MapGroup("/directory").WithTags("Directory");
        directory.MapGet("/", List).RequireAuthorization(ReadersPolicy).WithName("ListDirectoryEntries")
            .WithSummary("Entries of a programme, optionally by category and area; active only unless includeInactive.");
        directory.MapGet("/{entryId:guid}", Get).RequireAuthorization(ReadersPolicy).WithName("GetDirectoryEntry");
        directory.MapPost("/", Add).RequireAuthorization(Roles.ProgrammeAdmin).WithName("AddDirectoryEntry");
        directory.MapPut("/{entryId:guid}", (Guid entryId, DirectoryEntryDetails details, HttpContext http, IDocumentStore store, TimeProvider clock) =>
                Change(entryId, http, store, clock, (entry, now) => DirectoryDecider.Update(entry, details, http.User.UserId(), now)))
            .RequireAuthorization(Roles.ProgrammeAdmin).WithName("UpdateDirectoryEntry").RequireIfMatch()
            .WithSummary("Replace the entry's details (If-Match required: 428 without it, 412 when stale).");
        directory.MapPost("/{entryId:guid}/deactivation", (Guid entryId, DeactivateDirectoryEntry? command, HttpContext http, IDocumentStore store, TimeProvider clock) =>
                Change(entryId, http, store, clock, (entry, now) => DirectoryDecider.Deactivate(entry, command ?? new DeactivateDirectoryEntry(null), http.User.UserId(), now)))
            .RequireAuthorization(Roles.ProgrammeAdmin).WithName("DeactivateDirectoryEntry");
        directory.MapPost("/{entryId:guid}/activation", (Guid entryId, HttpContext http, IDocumentStore store, TimeProvider clock) =>
                Change(entryId, http, store, clock, (entry, now) => DirectoryDecider.Reactivate(entry, http.User.UserId(), now)))
            .RequireAuthorization(Roles.ProgrammeAdmin).WithName("ReactivateDirectoryEntry");
        return app;
    }

    private static async Task<Ok<IReadOnlyList<DirectoryEntry>>> List(string programme, NeedDomain? category, string? area, bool? includeInactive,
        IDocumentStore store, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var entries = await session.QueryAsync<DirectoryEntry>("data->>'programmeId' = ? order by data->'details'->>'name'", [programme], ct);
        var normalisedArea = area?.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
        IReadOnlyList<DirectoryEntry> result = entries
            .Where(e => includeInactive == true || e.Active)
            .Where(e => category is null || e.Details.Categories.Contains(category.Value))
            .Where(e => normalisedArea is null || Suggestions.AreaMatchOf(e, normalisedArea) != AreaMatch.None)
            .ToList();
        return TypedResults.Ok(result);
    }

    private static async Task<Results<Ok<DirectoryEntry>, ProblemHttpResult>> Get(Guid entryId, HttpContext http, IDocumentStore store)
    {
        await using var session = store.QuerySession();
        var entry = await session.LoadAsync<DirectoryEntry>(entryId, http.RequestAborted);
        if (entry is null)
        {
            return TypedResults.Problem(statusCode: 404, title: "No such directory entry");
        }

        http.Response.SetETag(entry.Version);
        return TypedResults.Ok(entry);
    }

    private static async Task<Results<Created<DirectoryEntry>, ProblemHttpResult>> Add(AddDirectoryEntry command, HttpContext http, IDocumentStore store,
        TimeProvider clock)
    {
        var events = DirectoryDecider.Add(command, Guid.CreateVersion7(), http.User.UserId(), clock.GetUtcNow());
        if (!http.User.Programmes().Contains(command.ProgrammeId, StringComparer.Ordinal))
        {
            return TypedResults.Problem(statusCode: 403, title: "You do not manage this programme's directory");
        }

        var added = (DirectoryEntryAdded)events[0];
        await using var session = store.LightweightSession();
        session.Events.StartStream<DirectoryEntry>(added.EntryId, [.. events]);
        await session.SaveChangesAsync(http.RequestAborted);
        var entry = Fold.Apply<DirectoryEntry>(null, events)!;
        entry.Version = events.Count;
        http.Response.SetETag(entry.Version);
        return TypedResults.Created($"/directory/{entry.Id}", entry);
    }

    private static async Task<Results<Ok<DirectoryEntry>, ProblemHttpResult>> Change(Guid entryId, HttpContext http, IDocumentStore store, TimeProvider clock,
        Func<DirectoryEntry, DateTimeOffset, IReadOnlyList<object>> decide)
    {
        await using var session = store.LightweightSession();
        var stream = await session.Events.FetchForWriting<DirectoryEntry>(entryId, http.RequestAborted);
        if (stream.Aggregate is not { } entry)
        {
            return TypedResults.Problem(statusCode: 404, title: "No such directory entry");
        }

        if (!http.User.Programmes().Contains(entry.ProgrammeId, StringComparer.Ordinal))
        {
            return TypedResults.Problem(statusCode: 403, title: "You do not manage this programme's directory");
        }

        // A full replacement (the PUT) without If-Match would silently overwrite another admin's edit (HAZ-012).
        var expected = http.Request.ExpectedVersion();
        if (expected is null && IfMatchRequired.For(http))
        {
            return IfMatchRequired.Problem("directory entry", $"/directory/{entryId}");
        }

        if (expected is not null && expected != stream.StartingVersion)
        {
            http.Response.SetETag(stream.StartingVersion);
            return TypedResults.Problem(statusCode: 412, title: "The entry was changed by someone else",
                detail: "Nothing was saved. Reload the entry and apply your change again.",
                extensions: new Dictionary<string, object?> { ["currentVersion"] = stream.StartingVersion });
        }

        var events = decide(entry, clock.GetUtcNow());
        stream.AppendMany(events);
        var version = stream.CurrentVersion; // read before saving: the session forgets its pending events once committed
        await session.SaveChangesAsync(http.RequestAborted);
        var after = Fold.Apply(entry, events)!;
        after.Version = version;
        http.Response.SetETag(after.Version);
        return TypedResults.Ok(after);
    }
}
