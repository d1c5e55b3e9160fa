using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Referrals.ServiceDefaults.Auth;
using Referrals.Testing.Hosting.Platform;

namespace Referrals.WebApp.Tests;

/// <summary>
/// The web app as a process, as in the other tests, with support-plan and triage both answered by one stub in this process:
/// for pages whose cases (thousands of journeys, a service failing) would take too long to make on the real platform.
/// </summary>
public sealed class StubbedWebApp : IAsyncDisposable
{
    private readonly WebApplication _stub;
    private readonly ServiceProcess _webApp;

    private StubbedWebApp(WebApplication stub, ServiceProcess webApp)
    {
        _stub = stub;
        _webApp = webApp;
    }

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

    /// <summary>A page read over HTTP as team lead tl-nl-01 of <paramref name="programmes"/>; fails on any status but success.</summary>
    public Task<string> TeamLeadPageAsync(string path, IEnumerable<string> programmes) => PageAsync(path, DevelopmentTokens.Create(
        DevelopmentTokens.DefaultKey, "tl-nl-01", [Roles.TeamLead], programmes.Select(p => new KeyValuePair<string, string>(ReferralsClaims.Programme, p))));

    /// <summary>A page read over HTTP as link worker <paramref name="worker"/> of <paramref name="programme"/>; fails on any status but success.</summary>
    public Task<string> LinkWorkerPageAsync(string path, string worker, string programme) => PageAsync(path, DevelopmentTokens.Create(
        DevelopmentTokens.DefaultKey, worker, [Roles.LinkWorker], [new(ReferralsClaims.Programme, programme), new(ReferralsClaims.LinkWorkerId, worker)]));

    private async Task<string> PageAsync(string path, string token)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _webApp.Address };
        // The web app reads the bearer token as the reverse proxy would forward it.
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}\n{_webApp.RecentOutput}");
        return html;
    }

    public async ValueTask DisposeAsync()
    {
        await _webApp.DisposeAsync();
        await _stub.DisposeAsync();
    }
}
