using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Referrals.EventStore;
using Referrals.Intake.Http;
using Referrals.Intake.Submitting;
using Referrals.ServiceDefaults.Auth;

namespace Referrals.Intake.Webhooks;

public sealed class WebhookRegistration
{
    /// <summary>The https URL to POST status changes to.</summary>
    public string? Url { get; init; }

    /// <summary>Only when your sign-in acts for several organisations.</summary>
    public string? OrganisationId { get; init; }
}

/// <summary>Returned once, at registration: keep the secret to verify signatures (Standard Webhooks, HMAC-SHA256).</summary>
public sealed record WebhookRegistrationResult(string OrganisationId, string Url, string Secret, int SecretVersion, string SignatureScheme);

public sealed record WebhookInfo(string OrganisationId, string Url, int SecretVersion, DateTimeOffset RegisteredAt);

public sealed record WebhookDeliveryInfo(
    Guid DeliveryId,
    Guid ReferralId,
    string Status,
    string State,
    int Attempts,
    int? LastStatusCode,
    string? LastError,
    DateTimeOffset OccurredAt,
    DateTimeOffset? NextAttemptAt,
    string Type);

public static class WebhookEndpoints
{
    public const string SignatureScheme =
        "Standard Webhooks: headers webhook-id, webhook-timestamp, webhook-signature = v1,base64(HMAC-SHA256(secret bytes, \"{id}.{timestamp}.{body}\")); the secret is whsec_ + base64 bytes.";

    public static IEndpointRouteBuilder MapWebhooks(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/webhooks").RequireAuthorization(IntakeAccess.ReferrerPolicy).WithTags("Webhooks");
        group.MapPut("", RegisterAsync)
            .WithName("RegisterWebhook")
            .WithSummary("Register (or replace, rotating the secret) your organisation's webhook for status changes.")
            .Accepts<WebhookRegistration>("application/json")
            .ProducesValidationProblem();
        group.MapGet("", GetAsync).WithName("GetWebhook").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("", RemoveAsync).WithName("RemoveWebhook").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/deliveries", DeliveriesAsync).WithName("ListWebhookDeliveries")
            .WithSummary("Recent pushes to your webhook and their attempts, newest first.");
        return app;
    }

    private static async Task<Ok<WebhookRegistrationResult>> RegisterAsync(HttpContext http, IDocumentStore store, BlindIndex index,
        WebhookSecrets secrets, IOptions<WebhookOptions> options, IOptions<BodyLimits> limits, TimeProvider time, CancellationToken ct)
    {
        var body = await JsonBody.ReadAsync<WebhookRegistration>(http.Request, limits.Value.MaxBodyBytes, ct);
        var organisation = http.User.SingleOrganisation(body.OrganisationId);
        var errors = new FieldErrors();
        var url = ValidateUrl(errors, body.Url, options.Value.AllowInsecureHttp, options.Value.AllowPrivateAddresses);
        errors.ThrowIfAny();

        await using var session = store.LightweightSession();
        var id = WebhookSubscription.StreamIdFor(index, organisation);
        var stream = await session.Events.FetchForWriting<WebhookSubscription>(id, ct);
        var version = (stream.Aggregate?.SecretVersion ?? 0) + 1;
        stream.AppendOne(new WebhookRegistered(id, organisation, url!, version, http.User.UserId(), time.GetUtcNow()));
        await session.SaveChangesAsync(ct);
        return TypedResults.Ok(new WebhookRegistrationResult(organisation, url!, secrets.SecretFor(organisation, version), version, SignatureScheme));
    }

    private static async Task<Results<Ok<WebhookInfo>, ProblemHttpResult>> GetAsync(HttpContext http, IDocumentStore store, BlindIndex index,
        string? organisationId, CancellationToken ct)
    {
        var organisation = http.User.SingleOrganisation(organisationId);
        await using var session = store.QuerySession();
        var subscription = await session.Events.AggregateStreamAsync<WebhookSubscription>(WebhookSubscription.StreamIdFor(index, organisation), ct: ct);
        return subscription is { Active: true }
            ? TypedResults.Ok(new WebhookInfo(organisation, subscription.Url, subscription.SecretVersion, subscription.RegisteredAt))
            : TypedResults.Problem(title: "No webhook is registered", statusCode: StatusCodes.Status404NotFound);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveAsync(HttpContext http, IDocumentStore store, BlindIndex index,
        TimeProvider time, string? organisationId, CancellationToken ct)
    {
        var organisation = http.User.SingleOrganisation(organisationId);
        await using var session = store.LightweightSession();
        var id = WebhookSubscription.StreamIdFor(index, organisation);
        var stream = await session.Events.FetchForWriting<WebhookSubscription>(id, ct);
        if (stream.Aggregate is not { Active: true })
        {
            return TypedResults.Problem(title: "No webhook is registered", statusCode: StatusCodes.Status404NotFound);
        }

        stream.AppendOne(new WebhookRemoved(id, organisation, http.User.UserId(), time.GetUtcNow()));
        await session.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<IReadOnlyList<WebhookDeliveryInfo>>> DeliveriesAsync(HttpContext http, IDocumentStore store,
        string? organisationId, CancellationToken ct)
    {
        var organisation = http.User.SingleOrganisation(organisationId);
        await using var session = store.QuerySession();
        var deliveries = await session.QueryAsync<WebhookDelivery>(
            "data->>'organisationId' = ? order by (data->>'occurredAt')::timestamptz desc limit 100", [organisation], ct);
        return TypedResults.Ok<IReadOnlyList<WebhookDeliveryInfo>>(deliveries.Select(d => new WebhookDeliveryInfo(d.Id, d.ReferralId,
            d.Status.ToString(), d.State.ToString(), d.Attempts, d.LastStatusCode, d.LastError, d.OccurredAt, d.NextAttemptAt,
            WebhookPayload.For(d).Type)).ToList());
    }

    /// <summary>
    /// An absolute https URL (http only where explicitly allowed, for development), with no credentials or fragment, whose
    /// host is not localhost or a literal internal address (unless allowed, for development and tests).
    /// </summary>
    public static string? ValidateUrl(FieldErrors errors, string? value, bool allowInsecureHttp, bool allowPrivateAddresses)
    {
        var text = errors.Text("url", value, 2000, required: true);
        if (text is null)
        {
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            errors.Add("url", "The webhook URL must be an absolute https URL.");
            return null;
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !allowInsecureHttp)
        {
            errors.Add("url", "The webhook URL must use https.");
            return null;
        }

        if (!string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Fragment))
        {
            errors.Add("url", "The webhook URL must not carry credentials or a fragment.");
            return null;
        }

        if (!allowPrivateAddresses && WebhookAddresses.IsInternalHost(uri))
        {
            errors.Add("url", "The webhook URL must name a host on the public internet, not localhost or a private, loopback or link-local address.");
            return null;
        }

        return uri.AbsoluteUri;
    }
}
