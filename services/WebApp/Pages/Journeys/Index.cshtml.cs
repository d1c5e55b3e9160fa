using Microsoft.AspNetCore.Mvc;
using Referrals.WebApp.Api;

namespace Referrals.WebApp.Pages.Journeys;

/// <summary>A journey: everything about the person's support, the timeline, and the way to each task.</summary>
public sealed class IndexModel(SupportPlanClient supportPlan) : JourneyFormModel(supportPlan)
{
    public bool NotAvailable { get; private set; }

    public Timeline Timeline { get; private set; } = new(Guid.Empty, []);

    public IReadOnlyList<InstrumentProgress> Outcomes { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        var failed = await LoadAsync(setVersion: true);
        if (failed is StatusCodeResult { StatusCode: 403 or 404 } status)
        {
            // Just after an acceptance the journey opens a moment later (support-plan hears of it by message).
            NotAvailable = true;
            Response.StatusCode = status.StatusCode;
            return Page();
        }

        return failed ?? await LoadViewsAsync();
    }

    public Task<IActionResult> OnPostCheckOutAsync(Guid visitId) =>
        ChangeAsync($"home-visits/{visitId}/check-out", new { outcome = "Attended" }, "You checked out of the home visit. The visit is recorded as a contact.");

    public Task<IActionResult> OnPostAcknowledgeFurtherReferralAsync(Guid referralId) =>
        ChangeAsync($"further-referrals/{referralId}/acknowledge", null, "Further referral acknowledged.");

    public Task<IActionResult> OnPostMilestoneReachedAsync(Guid goalId, Guid milestoneId) =>
        ChangeAsync($"plan/goals/{goalId}/milestones/{milestoneId}/reached", new { }, "Milestone marked as reached.");

    protected override async Task<IActionResult> AfterRedisplayAsync() => await LoadViewsAsync();

    private async Task<IActionResult> LoadViewsAsync()
    {
        Timeline = await SupportPlan.TimelineAsync(JourneyId, HttpContext.RequestAborted);
        Outcomes = await SupportPlan.OutcomesAsync(JourneyId, HttpContext.RequestAborted);
        return Page();
    }
}
