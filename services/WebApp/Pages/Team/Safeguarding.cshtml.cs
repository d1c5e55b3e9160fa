using Referrals.WebApp.Api;

namespace Referrals.WebApp.Pages.Team;

/// <summary>
/// The programme's journeys with a safeguarding concern, those with a concern triage has not confirmed first (HAZ-001 C7): the
/// team lead makes sure the duty team knows of them.
/// </summary>
public sealed class SafeguardingModel(SupportPlanClient supportPlan) : TeamPageModel
{
    /// <summary>Support-plan's largest page.</summary>
    private const int PageSize = 200;

    /// <summary>Enough for any programme's safeguarding list; beyond it the page says more exist rather than load without end.</summary>
    private const int MaxPages = 5;

    public IReadOnlyList<JourneySummary> Journeys { get; private set; } = [];

    public bool More { get; private set; }

    public string ShownProgramme => ProgrammeId;

    public async Task OnGetAsync()
    {
        var all = new List<JourneySummary>();
        for (var page = 1; page <= MaxPages; page++)
        {
            var result = await supportPlan.SafeguardingJourneysAsync(ProgrammeId, page, PageSize, HttpContext.RequestAborted);
            all.AddRange(result.Journeys);
            More = result.HasMore;
            if (!result.HasMore)
            {
                break;
            }
        }

        Journeys = UnconfirmedFirst(all);
    }

    /// <summary>Journeys with a concern triage has not confirmed first; otherwise support-plan's order (newest referral first).</summary>
    public static IReadOnlyList<JourneySummary> UnconfirmedFirst(IEnumerable<JourneySummary> journeys) =>
        journeys.OrderBy(j => j.UnconfirmedConcern ? 0 : 1).ToList(); // OrderBy is stable
}
