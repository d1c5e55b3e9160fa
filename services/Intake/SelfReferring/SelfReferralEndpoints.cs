using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Referrals.Contracts;
using Referrals.Intake.Http;
using Referrals.Intake.Referrals;
using Referrals.Intake.Submitting;
using Referrals.ServiceDefaults.Problems;

namespace Referrals.Intake.SelfReferring;

public sealed record SelfReferralResponse(Guid ReferralId, ReferralStatus Status, string Message, string Statement, CrisisSupport? CrisisSupport);

/// <summary>Configuration section <c>Intake:SelfReferral</c>: requests allowed per client (remote IP) per window.</summary>
public sealed class SelfReferralOptions
{
    public int PermitLimit { get; set; } = 5;

    public int WindowSeconds { get; set; } = 3600;
}

public static class SelfReferralEndpoints
{
    public const string RateLimitPolicy = "self-referral";
    public const string CrisisSupportExtension = "crisisSupport";

    /// <summary>
    /// A fixed window per client IP address. Behind a proxy, configure forwarded headers so that the address is the
    /// client's, not the proxy's. A refused request (429) still carries the crisis routes: the limiter cannot read the body.
    /// </summary>
    public static IServiceCollection AddSelfReferralRateLimiting(this IServiceCollection services) =>
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(RateLimitPolicy, context =>
            {
                var settings = context.RequestServices.GetRequiredService<IOptions<SelfReferralOptions>>().Value;
                return RateLimitPartition.GetFixedWindowLimiter(
                    context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = settings.PermitLimit,
                        Window = TimeSpan.FromSeconds(settings.WindowSeconds),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    });
            });
            options.OnRejected = async (context, ct) =>
            {
                var http = context.HttpContext;
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                var problem = new ProblemDetails
                {
                    Status = StatusCodes.Status429TooManyRequests,
                    Title = "Too many referrals from this device",
                    Detail = "Please try again later. " + CrisisSupport.NotAnEmergencyService,
                };
                problem.Extensions[CrisisSupportExtension] = CrisisSupport.Routes999111Samaritans;
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = problem,
                });
            };
        });

    public static IEndpointRouteBuilder MapSelfReferral(this IEndpointRouteBuilder app)
    {
        app.MapPost("/self-referrals", SubmitAsync)
            .AllowAnonymous()
            .RequireRateLimiting(RateLimitPolicy)
            .WithName("SelfRefer")
            .WithTags("Self-referral")
            .WithSummary("Refer yourself. No sign-in; limited per device. If you indicate risk, the answer carries crisis routes at once.")
            .Accepts<SelfReferralRequest>("application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return app;
    }

    private static async Task<Results<Accepted<SelfReferralResponse>, ValidationProblem>> SubmitAsync(HttpContext http,
        ReferralValidator validator, SubmissionHandler handler, TimeProvider time, IOptions<BodyLimits> limits, CancellationToken ct)
    {
        var bytes = await JsonBody.ReadBytesAsync(http.Request, limits.Value.MaxBodyBytes, JsonBody.IsJson, ct);
        var atRisk = CrisisSupport.IndicatedIn(bytes);
        SubmitReferral command;
        try
        {
            var request = JsonBody.Bind<SelfReferralRequest>(bytes);
            var errors = new FieldErrors();
            var converted = ToReferralRequest(request, time.GetUtcNow(), errors);
            var validated = validator.TryValidate(converted, ReferralChannel.SelfReferral, ValidationRules.Self, errors);
            errors.ThrowIfAny();
            command = validated!;
        }
        catch (RequestValidationException invalid) when (atRisk)
        {
            // The form is not right yet, but the person has told us they are at risk: the crisis routes come first.
            return TypedResults.ValidationProblem(invalid.Errors, title: "One or more fields are not valid",
                extensions: new Dictionary<string, object?> { [CrisisSupportExtension] = CrisisSupport.Routes999111Samaritans });
        }

        // Never confirmed: a self-referrer is told nothing of the person held (HAZ-003 C3).
        var result = await handler.SubmitAsync(command, idempotencyKey: null, identityConfirmed: false, ct);
        var crisis = command.Risk.RiskOfHarmToSelf || command.Risk.RiskOfHarmToOthers ? CrisisSupport.Routes999111Samaritans : null;
        // The same answer whatever intake holds: an anonymous caller must not learn that a journey is open for an NHS number.
        return TypedResults.Accepted((string?)null, new SelfReferralResponse(result.ReferralId, ReferralStatus.Submitted,
            "Thank you. Your referral has been received; a link worker will contact you in the way you asked.",
            CrisisSupport.NotAnEmergencyService, crisis));
    }

    /// <summary>The self-referral in the full referral shape: the person consents for themselves, through the form.</summary>
    internal static ReferralRequest ToReferralRequest(SelfReferralRequest request, DateTimeOffset now, FieldErrors errors)
    {
        if (request.Consent is null)
        {
            errors.Add("consent", "This field is required.");
        }
        else if (request.Consent.Agreed is not true)
        {
            errors.Add("consent.agreed", "We can only take a referral you agree to: please tick to agree.");
        }

        var atRisk = request.Risk?.RiskOfHarmToSelf == true || request.Risk?.RiskOfHarmToOthers == true;
        var converted = new ReferralRequest
        {
            Person = request.Person,
            RegisteredPracticeOds = request.RegisteredPracticeOds,
            Programme = request.Programme,
            Needs = request.Needs,
            WhatMatters = request.WhatMatters,
            Risk = request.Risk is null
                ? null
                : new RiskRequest
                {
                    RiskOfHarmToSelf = request.Risk.RiskOfHarmToSelf,
                    RiskOfHarmToOthers = request.Risk.RiskOfHarmToOthers,
                    // Not asked of the person; the link worker asks at first contact.
                    SafeguardingConcern = false,
                    RisksToVisitingWorker = false,
                    Notes = request.Risk.Notes,
                },
            Urgency = atRisk ? Urgency.Urgent : Urgency.Routine,
            Consent = request.Consent is null
                ? null
                : new ConsentRequest
                {
                    Authority = ConsentAuthority.Person,
                    GivenBy = "The person, through the self-referral form",
                    GivenAt = now,
                    RecordedBy = "Self-referral form",
                    SharingScope = request.Consent.SharingScope,
                },
        };

        return converted;
    }
}
