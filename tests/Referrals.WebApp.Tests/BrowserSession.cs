using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Referrals.Testing.Hosting.Platform;

namespace Referrals.WebApp.Tests;

/// <summary>
/// One person in one browser. Every page it lands on is checked with axe-core against the WCAG 2.2 AA rules: a serious or
/// critical violation fails the test.
/// </summary>
public sealed partial class BrowserSession(WebAppFixture fixture, IBrowserContext context, IPage page, bool javaScript) : IAsyncDisposable
{
    private IBrowserContext? _checkerContext;
    private IPage? _checker;

    private static readonly AxeRunOptions Wcag22AA = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
    };

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(bool, string), byte> Structures = new();

    public IPage Page { get; } = page;

    public List<string> Checked { get; } = [];

    public List<string> Dialogs { get; } = [];

    public static async Task<BrowserSession> OpenAsync(WebAppFixture fixture, bool javaScript = true, ServiceProcess? app = null)
    {
        var context = await fixture.NewContextAsync(javaScript, app);
        var page = await context.NewPageAsync();
        // Generous: in CI the test assemblies run side by side on two cores, and a page waits on triage and support-plan.
        page.SetDefaultTimeout(60_000);
        var session = new BrowserSession(fixture, context, page, javaScript);
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
        // The wait for the new page's load is set up before the click, so it cannot be missed. Waiting for the load state after
        // the click timed out twice at 60 s on a busy machine with the page's network already idle: most likely a missed load.
        var loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLoad(object? sender, IPage page) => loaded.TrySetResult();
        Page.Load += OnLoad;
        try
        {
            await target.ClickAsync();
            await loaded.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException e)
        {
            // Which service was slow (or stuck) is in the processes' output, not in Playwright's message.
            throw new TimeoutException($"{e.Message}\nPage: {Page.Url}\n{fixture.Diagnostics()}", e);
        }
        finally
        {
            Page.Load -= OnLoad;
        }

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

    /// <summary>Opens a form page after checking that the browser is told never to store it (Back fetches it, with a new key).</summary>
    public async Task GotoUnstoredFormAsync(string path)
    {
        var shown = await Page.APIRequest.GetAsync(path);
        Assert.Contains("no-store", shown.Headers.GetValueOrDefault("cache-control") ?? string.Empty, StringComparison.Ordinal);
        await GotoAsync(path);
    }

    /// <summary>
    /// Posts a form captured from the page (<paramref name="fields"/>: its key, version and anti-forgery token as the browser sent
    /// them) to <paramref name="path"/> again, as a second press or a press after an answer lost to a timeout does; expects the
    /// redirect and follows it, so the caller reads the page it leads to.
    /// </summary>
    public async Task PostFormAgainAsync(string path, IReadOnlyDictionary<string, string> fields)
    {
        var form = Page.APIRequest.CreateFormData();
        foreach (var (name, value) in fields)
        {
            form.Set(name, value);
        }

        var again = await Page.APIRequest.PostAsync(path, new APIRequestContextOptions { Form = form, MaxRedirects = 0 });
        Assert.True(again.Status == 302, $"The form sent again answered {again.Status}: {await again.TextAsync()}");
        await GotoAsync(again.Headers["location"]);
    }

    public async Task<string> SuccessBannerAsync() =>
        (await Page.Locator(".nhsuk-notification-banner--success").InnerTextAsync()).Trim();

    public async Task CheckAccessibilityAsync()
    {
        // Markup already checked in this run (same structure: only ids, numbers and words differ) is not checked again.
        if (!Structures.TryAdd((javaScript, Structure(await Page.ContentAsync())), 0))
        {
            Checked.Add(new Uri(Page.Url).AbsolutePath);
            return;
        }

        var result = await (javaScript ? Page : await NoScriptCopyAsync()).RunAxe(Wcag22AA).WaitAsync(TimeSpan.FromSeconds(60));
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"Accessibility violations on {Page.Url}:\n" + string.Join("\n", serious.Select(v =>
            $"- {v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")));
        Checked.Add(new Uri(Page.Url).AbsolutePath);
    }

    /// <summary>
    /// axe-core runs as script, which a page with JavaScript disabled cannot run. So the page's HTML, as served and without
    /// its scripts, is rendered (with the app's own stylesheets) in a second page that may run script, and checked there.
    /// </summary>
    private async Task<IPage> NoScriptCopyAsync()
    {
        if (_checker is null)
        {
            _checkerContext = await fixture.NewContextAsync(javaScript: true, app: null);
            _checker = await _checkerContext.NewPageAsync();
        }

        var origin = new Uri(Page.Url).GetLeftPart(UriPartial.Authority);
        if (!_checker.Url.StartsWith(origin, StringComparison.Ordinal))
        {
            await _checker.GotoAsync(origin + "/health/live");
        }

        var html = ScriptElement().Replace(await Page.ContentAsync(), string.Empty);
        await _checker.SetContentAsync(html, new PageSetContentOptions { WaitUntil = WaitUntilState.Load });
        return _checker;
    }

    /// <summary>The page's markup with text reduced to "is there text" and ids and numbers blanked.</summary>
    private static string Structure(string html)
    {
        var text = TextNode().Replace(html, m => string.IsNullOrWhiteSpace(m.Groups[1].Value) ? "><" : ">t<");
        var values = GuidOrNumber().Replace(text, "0");
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(values)));
    }

    [System.Text.RegularExpressions.GeneratedRegex(">([^<]*)<")]
    private static partial System.Text.RegularExpressions.Regex TextNode();

    [System.Text.RegularExpressions.GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9]+")]
    private static partial System.Text.RegularExpressions.Regex GuidOrNumber();

    [System.Text.RegularExpressions.GeneratedRegex("<script\\b[^>]*>.*?</script>", System.Text.RegularExpressions.RegexOptions.Singleline | System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex ScriptElement();

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

    public async ValueTask DisposeAsync()
    {
        await context.CloseAsync();
        if (_checkerContext is not null)
        {
            await _checkerContext.CloseAsync();
        }
    }
}
