using Referrals.WebApp.Api;

namespace Referrals.WebApp.Pages.Team;

/// <summary>
/// The journeys with a further referral nobody has read, closed ones included, in every programme the team lead leads (HAZ-001
/// C11, HAZ-007), since such a referral reaches nobody else. A journey closed before any worker took it on has no worker, so
/// no caseload shows it: this page is where its referral reaches someone.
/// Those come first, then closed ones (their worker may no longer look), then the rest.
/// </summary>
public sealed class FurtherReferralsModel(SupportPlanClient supportPlan) : TeamPageModel
{
    /// <summary>Support-plan's largest page.</summary>
    private const int PageSize = 200;

    /// <summary>
    /// Far more than a programme should ever have (10,000 journeys), shared by the two lists the page loads, those with no worker
    /// first (the other list still gets one page, to know whether any exist); beyond it the page says more exist.
    /// </summary>
    public const int MaxPages = 50;

    public IReadOnlyList<JourneySummary> Journeys { get; private set; } = [];

    /// <summary>More journeys have an unread further referral than the page shows.</summary>
    public bool More { get; private set; }

    /// <summary>More journeys with no worker have one than the page shows (all <see cref="MaxPages"/> were theirs).</summary>
    public bool MoreNobodys { get; private set; }

    public async Task OnGetAsync()
    {
        var ct = HttpContext.RequestAborted;
        var shown = new List<JourneySummary>();
        var seen = new HashSet<Guid>();

        // Those with no worker first, in their own list: neither offset paging nor the cap must hide one behind journeys that
        // some worker's caseload shows anyway. A journey read twice (given a worker between requests) is shown once, as first read.
        async Task<(int Pages, bool More)> LoadAsync(bool unassigned, int maxPages)
        {
            for (var page = 1; ; page++)
            {
                var result = await supportPlan.UnreadFurtherReferralJourneysAsync(unassigned, page, PageSize, ct);
                shown.AddRange(result.Journeys.Where(j => seen.Add(j.JourneyId)));
                if (!result.HasMore || page == maxPages)
                {
                    return (page, result.HasMore);
                }
            }
        }

        var nobodys = await LoadAsync(unassigned: true, MaxPages);
        MoreNobodys = nobodys.More;
        // At least one page of the rest, so the page knows whether any exist.
        More = MoreNobodys || (await LoadAsync(unassigned: false, Math.Max(1, MaxPages - nobodys.Pages))).More;
        Journeys = NobodysFirst(shown);
    }

    /// <summary>On nobody's caseload first, then closed, otherwise support-plan's order (newest referral first).</summary>
    public static IReadOnlyList<JourneySummary> NobodysFirst(IEnumerable<JourneySummary> journeys) =>
        journeys.OrderBy(j => j.LinkWorkerId is null ? 0 : j.Status == "Closed" ? 1 : 2).ToList(); // OrderBy is stable
}
