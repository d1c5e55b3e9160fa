using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Referrals.WebApp.Api;

namespace Referrals.WebApp.Pages.Journeys;

/// <summary>
/// A form that changes a journey. The page carries the journey version the worker saw; the change goes with If-Match, so
/// when someone else changed the journey meanwhile (412) nothing is saved, the worker is told, and their input is kept.
/// </summary>
public abstract class JourneyFormModel(SupportPlanClient supportPlan) : PageModel
{
    public const string ConflictMessage =
        "Someone else changed this journey while you were working on it, so nothing was saved. Your answers are still here: " +
        "check them against the journey, then save again.";

    protected SupportPlanClient SupportPlan { get; } = supportPlan;

    [FromRoute]
    public Guid JourneyId { get; set; }

    /// <summary>The journey version the form was filled in against (sent back as If-Match).</summary>
    [BindProperty]
    public long Version { get; set; }

    public Journey Journey { get; private set; } = null!;

    public string JourneyUrl => $"/journeys/{JourneyId}";

    /// <summary>Loads the journey; null when it can be shown, else the status page to return.</summary>
    protected async Task<IActionResult?> LoadAsync(bool setVersion)
    {
        var result = await SupportPlan.JourneyAsync(JourneyId, HttpContext.RequestAborted);
        if (!result.Succeeded || result.Value is null)
        {
            return StatusCode(result.Problem?.Status is 403 or 404 ? result.Problem.Status : 502);
        }

        Journey = result.Value;
        if (setVersion)
        {
            Version = Journey.Version;
        }

        return null;
    }

    /// <summary>Sends the change; on success back to the journey (POST-redirect-GET) with a message, else the form again.</summary>
    protected async Task<IActionResult> ChangeAsync(string path, object? body, string success, Func<string, string?>? fieldOf = null,
        HttpMethod? method = null)
    {
        var result = await SendAsync(path, body, method);
        if (result.Succeeded)
        {
            TempData["Success"] = success;
            return Redirect(JourneyUrl);
        }

        return await ShowProblemAsync(result.Problem!, fieldOf);
    }

    protected async Task<ApiResult<JsonElement>> SendAsync(string path, object? body, HttpMethod? method = null)
    {
        var result = await SupportPlan.ChangeAsync(JourneyId, path, body, Version, method, HttpContext.RequestAborted);
        if (result.Succeeded && result.Value.ValueKind == JsonValueKind.Object && result.Value.TryGetProperty("version", out var v))
        {
            Version = v.GetInt64();
        }

        return result;
    }

    /// <summary>Shows the form again with the problem: a version conflict, field errors (by the API's names) or a refusal.</summary>
    protected async Task<IActionResult> ShowProblemAsync(ApiProblem problem, Func<string, string?>? fieldOf = null)
    {
        if (problem.IsVersionConflict)
        {
            ModelState.AddModelError(string.Empty, ConflictMessage);
        }
        else if (problem.Errors.Count > 0)
        {
            foreach (var (field, messages) in problem.Errors)
            {
                foreach (var message in messages)
                {
                    ModelState.AddModelError(fieldOf?.Invoke(field) ?? string.Empty, message);
                }
            }
        }
        else
        {
            ModelState.AddModelError(string.Empty, problem.Message);
        }

        return await RedisplayAsync(problem.IsVersionConflict);
    }

    /// <summary>The form again with what the worker typed; after a conflict it carries the current version for the next try.</summary>
    protected async Task<IActionResult> RedisplayAsync(bool takeCurrentVersion = false)
    {
        var posted = Version;
        if (await LoadAsync(setVersion: takeCurrentVersion) is { } failed)
        {
            return failed;
        }

        if (!takeCurrentVersion)
        {
            Version = posted;
        }

        return await AfterRedisplayAsync();
    }

    /// <summary>Anything else the page shows besides the journey.</summary>
    protected virtual Task<IActionResult> AfterRedisplayAsync() => Task.FromResult<IActionResult>(Page());
}
