using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Referrals.ServiceDefaults.Http;

/// <summary>
/// Endpoint metadata marking a full-replacement write (HAZ-012): it must carry the ETag the client read in If-Match, else it is
/// refused with 428, as without it a stale screen would silently replace whatever someone else saved since it loaded.
/// The handler enforces it after answering as a read would (404 for a record that does not exist, 403 for one the caller may
/// not change, refused access still audited): a 428 tells the client to read the record, so it is never the answer for one
/// that is not there or not theirs. <see cref="IfMatchRequiredEndpoints.RequireIfMatch"/> puts the marker and its OpenAPI
/// 404 and 428 on the endpoint in one call.
/// </summary>
public sealed class IfMatchRequired
{
    public static readonly IfMatchRequired Instance = new();

    private IfMatchRequired()
    {
    }

    /// <summary>Whether the endpoint serving the request requires If-Match.</summary>
    public static bool For(HttpContext http) => http.GetEndpoint()?.Metadata.GetMetadata<IfMatchRequired>() is not null;

    /// <summary>
    /// 428 (RFC 6585): no If-Match naming a version ("*" names none, so it does not do). Says what to read, and where when
    /// <paramref name="reload"/> is given; repeats nothing sent.
    /// </summary>
    public static ProblemHttpResult Problem(string resource, string? reload = null) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status428PreconditionRequired,
            title: "If-Match is required",
            type: "https://tools.ietf.org/html/rfc6585#section-3",
            detail: $"Nothing was saved. This change replaces what is there as a whole, so it must name the version it replaces: read the {resource} " +
                    "and send the change with the ETag it answered in If-Match.",
            extensions: reload is null ? null : new Dictionary<string, object?> { ["reload"] = reload });
}

public static class IfMatchRequiredEndpoints
{
    /// <summary>
    /// The endpoint replaces what it writes as a whole: If-Match is required (428 without it), and OpenAPI says so, with the
    /// 404 problem its handler answers first for a record that does not exist.
    /// </summary>
    public static RouteHandlerBuilder RequireIfMatch(this RouteHandlerBuilder endpoint) =>
        endpoint.WithMetadata(IfMatchRequired.Instance).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status428PreconditionRequired);
}
