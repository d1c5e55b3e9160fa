using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Net.Http.Headers;

namespace Referrals.WebApp.Signing;

/// <summary>
/// Where the user's JWT comes from. In production an authenticating reverse proxy forwards it in the Authorization header;
/// in Development the sign-in page keeps it in an HttpOnly cookie. Either way the same JwtBearer rules validate it.
/// </summary>
public static class SignInCookie
{
    public const string Name = "referrals.token";

    public static void ReadTokenFromCookie(JwtBearerOptions options)
    {
        var events = options.Events ?? new JwtBearerEvents();
        events.OnMessageReceived = context =>
        {
            if (!context.Request.Headers.ContainsKey(HeaderNames.Authorization) &&
                context.Request.Cookies.TryGetValue(Name, out var token) && !string.IsNullOrEmpty(token))
            {
                context.Token = token;
            }

            return Task.CompletedTask;
        };
        events.OnChallenge = context =>
        {
            // A browser without a valid token goes to the development sign-in page (Development only); elsewhere the
            // proxy is responsible for signing people in, and the 401 page says so.
            var environment = context.HttpContext.RequestServices.GetRequiredService<IHostEnvironment>();
            if (environment.IsDevelopment() && !context.Request.Path.StartsWithSegments("/health"))
            {
                context.HandleResponse();
                var returnUrl = context.Request.PathBase + context.Request.Path + context.Request.QueryString;
                context.Response.Redirect("/sign-in?returnUrl=" + Uri.EscapeDataString(returnUrl));
            }

            return Task.CompletedTask;
        };
        options.Events = events;
    }

    /// <summary>The token of the current request, to forward to the APIs.</summary>
    public static string? TokenOf(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header["Bearer ".Length..].Trim();
        }

        return context.Request.Cookies.TryGetValue(Name, out var token) ? token : null;
    }

    public static void Write(HttpResponse response, string token, bool secure) =>
        response.Cookies.Append(Name, token, new CookieOptions
        {
            HttpOnly = true,
            Secure = secure,
            SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Strict,
            IsEssential = true,
            Path = "/",
        });

    public static void Clear(HttpResponse response) => response.Cookies.Delete(Name, new CookieOptions { Path = "/" });
}
