using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Referrals.Testing.Hosting.Platform;

namespace Referrals.WebApp.Tests;

/// <summary>
/// One person in one browser. Every page it lands on is checked with axe-core against the WCAG 2.2 AA rules: a serious or
/// critical violation fails the test.
/// </summary>
public sealed class BrowserSession(WebAppFixture fixture, IBrowserContext context, IPage page) : IAsyncDisposable
{
    private static readonly AxeRunOptions Wcag22AA = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
    };

    public IPage Page { get; } = page;

    public List<string> Checked { get; } = [];

    public List<string> Dialogs { get; } = [];

    public static async Task<BrowserSession> OpenAsync(WebAppFixture fixture, bool javaScript = true, ServiceProcess? app = null)
    {
        var context = await fixture.NewContextAsync(javaScript, app);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        var session = new BrowserSession(fixture, context, page);
        // A script the page did not mean to run (e.g. from a person's name) would open a dialog: remember it.
        page.Dialog += async (_, dialog) =>
        {
            session.Dialogs.Add(dialog.Message);
            await dialog.DismissAsync();
        };
        return session;
    }

    /// <summary>Goes to a path, expects 200, checks accessibility.</summary>
    public async Task GotoAsync(string path)
    {
        var response = await Page.GotoAsync(path);
        Assert.True(response is { Status: 200 }, $"GET {path} answered {response?.Status}.\n{fixture.Diagnostics()}");
        await CheckAccessibilityAsync();
    }

    /// <summary>Clicks something that loads a page (a link or a form's button), then checks the new page.</summary>
    public async Task ClickAsync(ILocator target)
    {
        // A click that starts a navigation waits for it to commit; then the new page must have loaded.
        await target.ClickAsync();
        await Page.WaitForLoadStateAsync(LoadState.Load);
        await CheckAccessibilityAsync();
    }

    public Task ClickLinkAsync(string name) => ClickAsync(Page.GetByRole(AriaRole.Link, new() { Name = name, Exact = true }));

    public Task ClickButtonAsync(string name) => ClickAsync(Page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true }));

    public async Task SignInAsync(string identityId)
    {
        await GotoAsync("/sign-in");
        await Page.Locator($"input[name='Identity'][value='{identityId}']").CheckAsync();
        await ClickButtonAsync("Sign in");
    }

    public async Task<string> SuccessBannerAsync() =>
        (await Page.Locator(".nhsuk-notification-banner--success").InnerTextAsync()).Trim();

    public async Task CheckAccessibilityAsync()
    {
        var result = await Page.RunAxe(Wcag22AA);
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"Accessibility violations on {Page.Url}:\n" + string.Join("\n", serious.Select(v =>
            $"- {v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")));
        Checked.Add(new Uri(Page.Url).AbsolutePath);
    }

    /// <summary>Writes a screenshot into docs/screenshots when it differs from the one there (the README shows them).</summary>
    public async Task ScreenshotAsync(string name, bool fullPage = false)
    {
        var bytes = await Page.ScreenshotAsync(new PageScreenshotOptions { FullPage = fullPage, Type = ScreenshotType.Png });
        var folder = Path.Combine(ServiceProcess.RepositoryRoot(), "docs", "screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        if (!File.Exists(path) || !(await File.ReadAllBytesAsync(path)).AsSpan().SequenceEqual(bytes))
        {
            await File.WriteAllBytesAsync(path, bytes);
        }
    }

    public async ValueTask DisposeAsync() => await context.CloseAsync();
}
