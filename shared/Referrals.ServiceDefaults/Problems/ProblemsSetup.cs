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
            BadHttpRequestException { InnerException: JsonException json } => (400, Validation(FieldErrors(json))),
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

    /// <summary>
    /// The fields a JSON binding error is about, each with what is wrong: every required field missing (where the options
    /// require fields), or the field at the error's path. Names come from the request type or the path, never a value sent.
    /// </summary>
    internal static Dictionary<string, string[]> FieldErrors(JsonException json)
    {
        var at = FieldFromPath(json.Path);
        var missing = MissingRequired(json.Message);
        if (missing.Count > 0)
        {
            return missing.Distinct(StringComparer.Ordinal)
                .ToDictionary(name => at == "body" ? name : $"{at}.{name}", _ => new[] { "This is required." }, StringComparer.Ordinal);
        }

        return new Dictionary<string, string[]>(StringComparer.Ordinal)
        {
            [at] = [json.Message.Contains("could not be mapped", StringComparison.Ordinal) ? "This field is not part of the request."
                : json.Message.StartsWith("Duplicate property", StringComparison.Ordinal) ? "This field appears more than once."
                : "The value is missing or has the wrong type or format."],
        };
    }

    /// <summary>
    /// The properties System.Text.Json names as missing ("… was missing required properties including: 'scope', 'reason'.");
    /// its exception carries them only in the message. Empty for any other error.
    /// </summary>
    internal static IReadOnlyList<string> MissingRequired(string message)
    {
        const string marker = "missing required properties";
        var start = message.IndexOf(marker, StringComparison.Ordinal);
        var colon = start < 0 ? -1 : message.IndexOf(':', start);
        if (colon < 0)
        {
            return [];
        }

        // Each name is quoted: the parts between quotes are the odd ones.
        return message[(colon + 1)..].Split('\'').Where((_, i) => i % 2 == 1).Where(n => n.Length > 0).ToList();
    }

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
