using Referrals.WebApp.Api;

namespace Referrals.WebApp.Pages.Team;

/// <summary>
/// The programme's journeys with a safeguarding concern, those with a concern triage has not confirmed first (HAZ-001 C7): the
/// team lead makes sure the duty team knows of them. One programme at a time (it may list a thousand journeys); the page links to
/// itself for the team lead's others, and the landing page warns of unconfirmed concerns in them.
/// </summary>
public sealed class SafeguardingModel(SupportPlanClient supportPlan) : TeamPageModel
{
    /// <summary>Support-plan's largest page.</summary>
    private const int PageSize = 200;

    /// <summary>
    /// Enough for any programme's safeguarding list; the other journeys fill the page up to it, and beyond it the page says more
    /// exist rather than load without end. Journeys with an unconfirmed concern are never left out for it.
    /// </summary>
    public const int MaxJourneys = 1_000;

    /// <summary>
    /// How many pages of journeys with an unconfirmed concern the page loads, whatever <see cref="MaxJourneys"/> says: far more than
    /// any programme should ever have (10,000 journeys), so only a long outage of triage reaches it, and the page then says so.
    /// </summary>
    public const int MaxUnconfirmedPages = 50;

    public IReadOnlyList<JourneySummary> Journeys { get; private set; } = [];

    /// <summary>More journeys have a safeguarding concern than the page shows.</summary>
    public bool More { get; private set; }

    /// <summary>More journeys have an unconfirmed concern than the page shows (beyond <see cref="MaxUnconfirmedPages"/>).</summary>
    public bool MoreUnconfirmed { get; private set; }

    public async Task OnGetAsync()
    {
        var ct = HttpContext.RequestAborted;
        var shown = new List<JourneySummary>();
        var seen = new HashSet<Guid>();

        // Every journey with an unconfirmed concern first, however old its referral: the cap below must never hide one.
        for (var page = 1; ; page++)
        {
            var result = await supportPlan.SafeguardingJourneysAsync(ProgrammeId, unconfirmedConcern: true, page, PageSize, ct);
            shown.AddRange(result.Journeys.Where(j => seen.Add(j.JourneyId)));
            if (!result.HasMore)
            {
                break;
            }

            if (page == MaxUnconfirmedPages)
            {
                MoreUnconfirmed = true;
                break;
            }
        }

        // Then the others, newest referral first, while there is room. A journey read twice (the list moved between two
        // requests) is shown once.
        for (var page = 1; ; page++)
        {
            var result = await supportPlan.SafeguardingJourneysAsync(ProgrammeId, unconfirmedConcern: false, page, PageSize, ct);
            var fresh = result.Journeys.Where(j => seen.Add(j.JourneyId)).ToList();
            var room = Math.Max(0, MaxJourneys - shown.Count);
            shown.AddRange(fresh.Take(room));
            if (fresh.Count > room || (result.HasMore && shown.Count >= MaxJourneys))
            {
                More = true;
                break;
            }

            if (!result.HasMore)
            {
                break;
            }
        }

        More |= MoreUnconfirmed;
        Journeys = UnconfirmedFirst(shown);
    }

    /// <summary>Journeys with a concern triage has not confirmed first; otherwise support-plan's order (newest referral first).</summary>
    public static IReadOnlyList<JourneySummary> UnconfirmedFirst(IEnumerable<JourneySummary> journeys) =>
        journeys.OrderBy(j => j.UnconfirmedConcern ? 0 : 1).ToList(); // OrderBy is stable
}
