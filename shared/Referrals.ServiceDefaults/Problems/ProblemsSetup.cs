using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Referrals.EventStore;

namespace Referrals.ServiceDefaults.Problems;

/// <summary>A request failed validation; each error names its field. Thrown by handlers, rendered as 400 problem+json.</summary>
public sealed class RequestValidationException(IDictionary<string, string[]> errors) : Exception("The request is not valid.")
{
    public IDictionary<string, string[]> Errors { get; } = errors;

    public static RequestValidationException For(string field, string message) => new(new Dictionary<string, string[]> { [field] = [message] });
}

/// <summary>A business rule refused the command (e.g. accepting an assignment already taken). Rendered as 409.</summary>
public sealed class DomainRuleException(string message) : Exception(message);

internal static class ProblemsSetup
{
    public static void AddReferralsProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Extensions["traceId"] = Activity.Current?.TraceId.ToString() ?? context.HttpContext.TraceIdentifier;
            // Never leak internals: the default developer page and exception details are not used.
            context.ProblemDetails.Extensions.Remove("exception");
        });
        services.AddExceptionHandler<ReferralsExceptionHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<Microsoft.AspNetCore.Http.Json.JsonOptions>(o =>
        {
            o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
            o.SerializerOptions.MaxDepth = 32;
            o.SerializerOptions.UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Skip;
        });
    }

    public static void UseReferralsProblemDetails(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
    }
}

/// <summary>Turns exceptions into RFC 9457 problem+json: field-level 400s, 409/412 for conflicts, a bare 500 otherwise.</summary>
internal sealed class ReferralsExceptionHandler(IProblemDetailsService problems, ILogger<ReferralsExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, problem) = exception switch
        {
            RequestValidationException validation => (400, Validation(validation.Errors)),
            BadHttpRequestException { InnerException: JsonException json } => (400, Validation(new Dictionary<string, string[]>
            {
                [FieldFromPath(json.Path)] = ["The value is missing or has the wrong type or format."],
            })),
            BadHttpRequestException bad when bad.StatusCode == 400 && bad.Message.Contains("body", StringComparison.OrdinalIgnoreCase) =>
                (400, Validation(new Dictionary<string, string[]> { ["body"] = ["A JSON body is required."] })),
            BadHttpRequestException bad => (bad.StatusCode, new ProblemDetails { Title = TitleFor(bad.StatusCode) }),
            ConcurrencyException => (httpContext.Request.Headers.IfMatch.Count > 0 ? 412 : 409, new ProblemDetails
            {
                Title = "The record was changed by someone else",
                Detail = "Reload it and apply your change again.",
            }),
            DomainRuleException rule => (409, new ProblemDetails { Title = "The request conflicts with the current state", Detail = rule.Message }),
            OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested => (499, new ProblemDetails { Title = "Client closed request" }),
            _ => (500, new ProblemDetails { Title = "An unexpected error occurred" }),
        };

        if (status >= 500)
        {
            logger.LogError(exception, "Unhandled {ExceptionType} for {Method} {Route}", exception.GetType().Name,
                httpContext.Request.Method, httpContext.GetEndpoint()?.DisplayName);
        }
        else
        {
            logger.LogInformation("Request refused with {Status} ({ExceptionType})", status, exception.GetType().Name);
        }

        problem.Status = status;
        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = null });
    }

    private static HttpValidationProblemDetails Validation(IDictionary<string, string[]> errors) =>
        new(errors) { Title = "One or more fields are not valid", Status = 400 };

    /// <summary>"$.person.dateOfBirth" becomes "person.dateOfBirth"; a missing path means the body itself.</summary>
    internal static string FieldFromPath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "body";
        }

        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
    }

    private static string TitleFor(int status) => status switch
    {
        413 => "The request body is too large",
        415 => "Unsupported media type",
        _ => "Bad request",
    };
}
