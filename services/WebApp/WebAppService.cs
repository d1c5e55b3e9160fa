using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Referrals.ServiceDefaults.Auth;
using Referrals.WebApp.Api;
using Referrals.WebApp.Signing;

namespace Referrals.WebApp;

public static class WebAppService
{
    /// <summary>
    /// Razor Pages over the triage and support-plan APIs. The app holds no data: it validates the user's JWT with the
    /// platform's JwtBearer rules (from the Authorization header a reverse proxy forwards, or the development sign-in
    /// cookie) and forwards that same token to the APIs.
    /// </summary>
    public static WebApplicationBuilder AddWebApp(this WebApplicationBuilder builder)
    {
        // Pages render their own error pages; the APIs' problem+json handler is not for browsers.
        builder.Services.RemoveAll<IExceptionHandler>();

        builder.Services.AddRazorPages(options =>
        {
            options.Conventions.AuthorizeFolder("/", Policies.Practitioner);
            options.Conventions.AuthorizeFolder("/Worklist", Roles.LinkWorker);
            options.Conventions.AuthorizeFolder("/Caseload", Roles.LinkWorker);
            options.Conventions.AuthorizeFolder("/Team", Roles.TeamLead);
            options.Conventions.AllowAnonymousToPage("/SignIn");
            options.Conventions.AllowAnonymousToPage("/SignOut");
            options.Conventions.AllowAnonymousToPage("/Error");
        }).AddMvcOptions(o =>
        {
            // Field messages in the NHS.UK style (never echoing what was typed).
            o.ModelBindingMessageProvider.SetAttemptedValueIsInvalidAccessor((_, _) => "Enter a whole number");
            o.ModelBindingMessageProvider.SetValueMustBeANumberAccessor(_ => "Enter a number");
            o.ModelBindingMessageProvider.SetValueIsInvalidAccessor(_ => "Enter a valid value");
        });
        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "referrals.antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.FormFieldName = "__RequestVerificationToken";
        });
        builder.Services.Configure<CookieTempDataProviderOptions>(o => o.Cookie.Name = "referrals.tempdata");
        builder.Services.AddHttpContextAccessor();
        builder.Services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, SignInCookie.ReadTokenFromCookie);

        builder.Services.AddTransient<ForwardUserToken>();
        builder.Services.AddHttpClient<TriageClient>(c => Configure(c, ServiceAddress(builder.Configuration, "Triage", "http://127.0.0.1:5102")))
            .AddHttpMessageHandler<ForwardUserToken>();
        builder.Services.AddHttpClient<SupportPlanClient>(c => Configure(c, ServiceAddress(builder.Configuration, "SupportPlan", "http://127.0.0.1:5103")))
            .AddHttpMessageHandler<ForwardUserToken>();
        builder.Services.AddSingleton(DevelopmentIdentities.From(builder.Configuration));
        return builder;
    }

    public static WebApplication UseWebApp(this WebApplication app)
    {
        app.UseExceptionHandler("/error");
        app.UseStatusCodePagesWithReExecute("/error", "?status={0}");
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            // Everything is served from this origin: no CDN, no inline script.
            headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'";
            await next();
        });
        app.UseStaticFiles();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = c => c.Tags.Contains("live") }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();
        app.MapRazorPages();
        return app;
    }

    /// <summary>
    /// How long any one call to triage or support-plan may take, the answer read included: past it the page fails (the error
    /// page, or its own warning where it can do without the answer) instead of hanging for .NET's default 100 s. Every call is
    /// one read or one change of one journey, referral or page of a list, so far below this when the service is well.
    /// </summary>
    public static readonly TimeSpan ServiceTimeout = TimeSpan.FromSeconds(30);

    private static void Configure(HttpClient client, Uri address)
    {
        client.BaseAddress = address;
        client.Timeout = ServiceTimeout;
    }

    private static Uri ServiceAddress(IConfiguration configuration, string service, string fallback) =>
        new(configuration[$"Services:{service}"] ?? fallback);
}
