using Microsoft.AspNetCore.Mvc;
using Referrals.WebApp.Api;

namespace Referrals.WebApp.Pages.Journeys;

/// <summary>Community connections: suggestions for the person, a directory search, and signposting.</summary>
public sealed class ConnectionsModel(SupportPlanClient supportPlan) : JourneyFormModel(supportPlan)
{
    [BindProperty(SupportsGet = true)]
    public string? Category { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Area { get; set; }

    [BindProperty]
    public string? ServiceName { get; set; }

    public IReadOnlyList<Suggestion> Suggestions { get; private set; } = [];

    public IReadOnlyList<DirectoryEntry>? Results { get; private set; }

    public async Task<IActionResult> OnGetAsync() => await LoadAsync(setVersion: true) ?? await AfterRedisplayAsync();

    public async Task<IActionResult> OnPostDirectoryAsync(Guid entryId) =>
        await ChangeAsync("connections", new { directoryEntryId = entryId, kind = "Signposting" }, "Connection recorded: the person was signposted.");

    public async Task<IActionResult> OnPostOtherAsync()
    {
        if (string.IsNullOrWhiteSpace(ServiceName))
        {
            ModelState.AddModelError(nameof(ServiceName), "Enter the name of the service");
            return await RedisplayAsync();
        }

        return await ChangeAsync("connections", new { serviceName = ServiceName.Trim(), kind = "Signposting" },
            "Connection recorded: the person was signposted.", f => f == "serviceName" ? nameof(ServiceName) : null);
    }

    protected override async Task<IActionResult> AfterRedisplayAsync()
    {
        Suggestions = await SupportPlan.SuggestionsAsync(JourneyId, HttpContext.RequestAborted);
        if (Request.Query.ContainsKey(nameof(Category)) || Request.Query.ContainsKey(nameof(Area)))
        {
            Results = await SupportPlan.DirectoryAsync(Journey.ProgrammeId, Category, Area, HttpContext.RequestAborted);
        }

        return Page();
    }
}
