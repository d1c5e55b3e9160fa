using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Referrals.Deploy.Journeys;
using Referrals.ServiceDefaults.Auth;
using Referrals.Testing.Hosting.Platform;

namespace Referrals.WebApp.Tests;

/// <summary>
/// Intake, triage and support-plan as processes on the real PostgreSQL and RabbitMQ (own schemas and virtual host), the web
/// app as a process in Development and a second one in Production, and Debian's Chromium driven by Playwright.
/// </summary>
public sealed class WebAppFixture : IAsyncLifetime
{
    public const string Programme = "north-leeds";

    /// <summary>The Chromium flags that work on these machines (environment.md).</summary>
    private static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private IPlaywright? _playwright;

    public ProcessPlatform Platform { get; private set; } = null!;

    public ServiceProcess WebApp { get; private set; } = null!;

    public ServiceProcess ProductionWebApp { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public PlatformClient Client => Platform.Client;

    public async Task InitializeAsync()
    {
        // Support-plan checks a safeguarding concern's confirmation after 15 seconds, so the test of an unconfirmed concern
        // (triage stopped) sees the check soon; with triage running, confirmation takes a second or two.
        Platform = await ProcessPlatform.StartAsync(services: ["intake", "triage", "support-plan"],
            settings: new Dictionary<string, string> { ["SupportPlan__ConcernConfirmationMinutes"] = "0.25" });
        var services = new Dictionary<string, string>
        {
            ["Services__Triage"] = Platform.Addresses.Triage.ToString(),
            ["Services__SupportPlan"] = Platform.Addresses.SupportPlan.ToString(),
        };
        WebApp = ServiceProcess.Start("web-app", "WebApp", services);
        // Production: the development sign-in must not exist. Tokens are still validated (with the development key, as
        // a test host may opt in to), so the app starts without an OpenID Connect authority.
        ProductionWebApp = ServiceProcess.Start("web-app-production", "WebApp", new Dictionary<string, string>(services)
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Auth__AllowDevelopmentTokens"] = "true",
            ["Auth__DevelopmentSigningKey"] = DevelopmentTokens.DefaultKey,
        });
        await Task.WhenAll(WebApp.WaitUntilReadyAsync(TimeSpan.FromSeconds(60)), ProductionWebApp.WaitUntilReadyAsync(TimeSpan.FromSeconds(60)));
        _playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ChromiumArgs,
        });
        await AddDirectoryEntryAsync();
    }

    /// <summary>A walking group in the person's district that meets loneliness: what the suggestions should offer.</summary>
    private async Task AddDirectoryEntryAsync()
    {
        using var http = new HttpClient { BaseAddress = Platform.Addresses.SupportPlan };
        var token = DevelopmentTokens.Create(DevelopmentTokens.DefaultKey, "pa-nl-01", [Roles.ProgrammeAdmin], [new(ReferralsClaims.Programme, Programme)]);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await http.PostAsJsonAsync("/directory", new
        {
            programmeId = Programme,
            details = new
            {
                name = "Meanwood Walking Group",
                sector = "Voluntary",
                categories = new[] { "SocialConnection", "PhysicalActivity" },
                areas = new[] { "LS6" },
                contact = "walks@example.org",
                referralMethod = "Email",
                openingTimes = "Tuesdays 10:00",
                description = "A gentle walk and a cup of tea.",
            },
        });
        response.EnsureSuccessStatusCode();
    }

    public Task<IBrowserContext> NewContextAsync(bool javaScript = true, ServiceProcess? app = null) =>
        Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = (app ?? WebApp).Address.ToString(),
            JavaScriptEnabled = javaScript,
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            Locale = "en-GB",
            TimezoneId = "Europe/London",
        });

    /// <summary>What the processes wrote lately, for failure messages.</summary>
    public string Diagnostics() => Platform.Diagnostics() + $"\n--- web-app ---\n{WebApp.RecentOutput}";

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (WebApp is not null)
        {
            await WebApp.DisposeAsync();
        }

        if (ProductionWebApp is not null)
        {
            await ProductionWebApp.DisposeAsync();
        }

        if (Platform is not null)
        {
            await Platform.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class WebAppCollection : ICollectionFixture<WebAppFixture>
{
    public const string Name = "web app";
}
