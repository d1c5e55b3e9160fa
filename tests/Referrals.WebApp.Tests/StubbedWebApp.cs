using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Referrals.ServiceDefaults.Auth;
using Referrals.Testing.Hosting.Platform;
using Referrals.WebApp.Api;

namespace Referrals.WebApp.Tests;

/// <summary>
/// The web app as a process, as in the other tests, with support-plan and triage both answered by one stub in this process:
/// for pages whose cases (thousands of journeys, a service failing) would take too long to make on the real platform.
/// </summary>
public sealed partial class StubbedWebApp : IAsyncDisposable
{
    /// <summary>How a stubbed service fails to answer.</summary>
    public enum Failure
    {
        None,

        /// <summary>The connection closes without an answer, as when the service is down.</summary>
        ConnectionLost,

        ServiceUnavailable,

        /// <summary>403, as a service answers a token it does not accept.</summary>
        Forbidden,

        /// <summary>404, as triage answers for a programme it does not know.</summary>
        NotFound,

        /// <summary>200 with a body that is not the JSON asked for, as from a proxy's error page.</summary>
        NotJson,

        /// <summary>An answer after 30 s (or the delay given), later than a page waits for its checks.</summary>
        Slow,

        /// <summary>No answer at all until the web app gives up.</summary>
        Hang,
    }

    private readonly WebApplication _stub;
    private readonly ServiceProcess _webApp;

    private StubbedWebApp(WebApplication stub, ServiceProcess webApp)
    {
        _stub = stub;
        _webApp = webApp;
    }

    /// <summary>The web app's address, for a test's own client or browser.</summary>
    public Uri Address => _webApp.Address;

    /// <param name="name">The web app process's name in the test output.</param>
    /// <param name="map">The stub's endpoints.</param>
    public static async Task<StubbedWebApp> StartAsync(string name, Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var stub = builder.Build();
        map(stub);
        await stub.StartAsync();
        var address = stub.Urls.Single();
        var webApp = ServiceProcess.Start(name, "WebApp", new Dictionary<string, string>
        {
            ["Services__SupportPlan"] = address,
            ["Services__Triage"] = address,
        });
        await webApp.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        return new StubbedWebApp(stub, webApp);
    }

    /// <summary>
    /// Answers as the stubbed service would when failing with <paramref name="failure"/>, or null to answer normally: a slow answer
    /// comes after <paramref name="slow"/> (30 s unless given) or when the web app gives up, a hanging one only when it gives up.
    /// </summary>
    public static async Task<IResult?> FailAsync(Failure failure, HttpContext http, TimeSpan? slow = null)
    {
        switch (failure)
        {
            case Failure.ConnectionLost:
                http.Abort();
                return Results.Empty;
            case Failure.ServiceUnavailable:
                return Results.Problem(statusCode: 503, title: "Service unavailable");
            case Failure.Forbidden:
                return Results.StatusCode(403);
            case Failure.NotFound:
                return Results.StatusCode(404);
            case Failure.NotJson:
                return Results.Content("<html><body>Gateway error</body></html>", "application/json");
            case Failure.Slow:
                await Task.Delay(slow ?? TimeSpan.FromSeconds(30), http.RequestAborted);
                return null;
            case Failure.Hang:
                await Task.Delay(Timeout.Infinite, http.RequestAborted);
                return null;
            default:
                return null;
        }
    }

    /// <summary>Triage's queue of <paramref name="programme"/> as the stubs answer it: that programme's escalations awaiting acknowledgement, nothing else.</summary>
    public static IResult Queue(string programme, IEnumerable<EscalationSummary> escalations) => Results.Json(
        new ProgrammeQueue(programme, 1, DateTimeOffset.UtcNow, escalations.Where(e => e.ProgrammeId == programme).ToList(), [], [], [], [], []), ApiClient.Json);

    /// <summary>The web app's recent output, for a failing assertion's message.</summary>
    public string RecentOutput => _webApp.RecentOutput;

    /// <summary>A page read over HTTP as team lead tl-nl-01 of <paramref name="programmes"/>; fails on any status but success.</summary>
    public async Task<string> TeamLeadPageAsync(string path, IEnumerable<string> programmes)
    {
        using var http = Client(TeamLeadToken(programmes), new CookieContainer());
        return await ReadAsync(http, path);
    }

    /// <summary>A page read over HTTP as link worker <paramref name="worker"/> of <paramref name="programme"/>; fails on any status but success.</summary>
    public async Task<string> LinkWorkerPageAsync(string path, string worker, string programme)
    {
        using var http = Client(LinkWorkerToken(worker, [programme]), new CookieContainer());
        return await ReadAsync(http, path);
    }

    /// <summary>
    /// A page read over HTTP as a link worker whose token names <paramref name="worker"/> as link worker id (none when null) and
    /// <paramref name="programmes"/>, whatever its status.
    /// </summary>
    public async Task<(HttpStatusCode Status, string Html)> LinkWorkerResponseAsync(string path, string? worker, IEnumerable<string> programmes)
    {
        using var http = Client(LinkWorkerToken(worker, programmes), new CookieContainer());
        return await ResponseAsync(http, path);
    }

    /// <summary>
    /// As team lead tl-nl-01 of <paramref name="programmes"/>, reads the page, posts <paramref name="form"/> to it with the page's
    /// anti-forgery token, and reads the page the answer redirects to (the bearer token is sent again, as the proxy would).
    /// </summary>
    public Task<string> TeamLeadPostAsync(string path, IEnumerable<string> programmes, IReadOnlyDictionary<string, string> form) =>
        PostAsync(TeamLeadToken(programmes), path, path, form);

    /// <summary>
    /// As link worker <paramref name="worker"/> of <paramref name="programme"/>, reads <paramref name="page"/>, posts
    /// <paramref name="form"/> to <paramref name="action"/> (a form's action on it, such as its handler) with the page's
    /// anti-forgery token, and reads the page the answer redirects to.
    /// </summary>
    public Task<string> LinkWorkerPostAsync(string page, string action, string worker, string programme, IReadOnlyDictionary<string, string> form) =>
        PostAsync(LinkWorkerToken(worker, [programme]), page, action, form);

    private async Task<string> PostAsync(string bearerToken, string page, string path, IReadOnlyDictionary<string, string> form)
    {
        var (status, html) = await SubmitAsync(bearerToken, page, path, form);
        Assert.True(status == HttpStatusCode.Redirect, $"POST {path} answered {(int)status}\n{_webApp.RecentOutput}");
        return html;
    }

    /// <summary>
    /// As <see cref="LinkWorkerPostAsync"/>, posting to the page itself, whatever the answer: its status, and the page a redirect
    /// leads to or else the page it answered (a form shown again).
    /// </summary>
    public Task<(HttpStatusCode Status, string Html)> LinkWorkerSubmitAsync(string page, string worker, string programme,
        IReadOnlyDictionary<string, string> form) =>
        SubmitAsync(LinkWorkerToken(worker, [programme]), page, page, form);

    private async Task<(HttpStatusCode Status, string Html)> SubmitAsync(string bearerToken, string page, string path, IReadOnlyDictionary<string, string> form)
    {
        using var http = Client(bearerToken, new CookieContainer());
        var token = AntiforgeryToken().Match(await ReadAsync(http, page));
        Assert.True(token.Success, $"No anti-forgery token on {page}");
        using var content = new FormUrlEncodedContent(form.Append(new("__RequestVerificationToken", token.Groups[1].Value)));
        using var response = await http.PostAsync(new Uri(path, UriKind.Relative), content);
        return response.StatusCode == HttpStatusCode.Redirect
            ? (response.StatusCode, await ReadAsync(http, response.Headers.Location!.ToString()))
            : (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string TeamLeadToken(IEnumerable<string> programmes) => DevelopmentTokens.Create(DevelopmentTokens.DefaultKey, "tl-nl-01",
        [Roles.TeamLead], programmes.Select(p => new KeyValuePair<string, string>(ReferralsClaims.Programme, p)));

    private static string LinkWorkerToken(string? worker, IEnumerable<string> programmes) => DevelopmentTokens.Create(DevelopmentTokens.DefaultKey,
        worker ?? "lw-unknown", [Roles.LinkWorker],
        [.. programmes.Select(p => new KeyValuePair<string, string>(ReferralsClaims.Programme, p)),
            .. worker is null ? [] : new[] { new KeyValuePair<string, string>(ReferralsClaims.LinkWorkerId, worker) }]);

    private HttpClient Client(string bearerToken, CookieContainer cookies)
    {
        // Longer than .NET's default 100 s, so a page that waits that long is seen to, rather than this read giving up first.
        var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies })
        {
            BaseAddress = _webApp.Address,
            Timeout = TimeSpan.FromSeconds(150),
        };
        // The web app reads the bearer token as the reverse proxy would forward it.
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        return http;
    }

    private async Task<string> ReadAsync(HttpClient http, string path)
    {
        var (status, html) = await ResponseAsync(http, path);
        Assert.True((int)status is >= 200 and < 300, $"{(int)status}\n{_webApp.RecentOutput}");
        return html;
    }

    private static async Task<(HttpStatusCode Status, string Html)> ResponseAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    public async ValueTask DisposeAsync()
    {
        await _webApp.DisposeAsync();
        await _stub.DisposeAsync();
    }
}
