using Referrals.WebApp.Api;

namespace Referrals.WebApp.Pages.Team;

/// <summary>
/// The programme queue with capacity by worker and waiting times; and a warning when a further referral nobody has read is on a
/// journey with no worker in any programme the team lead leads (HAZ-001 C11): no caseload shows it, so the landing page says so.
/// </summary>
public sealed class IndexModel(TriageClient triage, SupportPlanClient supportPlan, ILogger<IndexModel> logger) : TeamPageModel
{
    /// <summary>How long the landing page waits for support-plan's answer before saying the check could not be made.</summary>
    private static readonly TimeSpan NobodysCheckTimeout = TimeSpan.FromSeconds(5);

    public ProgrammeQueue Queue { get; private set; } = null!;

    /// <summary>
    /// Journeys with an unread further referral and no worker, from a page of one (support-plan gives no total): 0, 1, or 2
    /// meaning "2 or more"; null when support-plan did not answer, so the page says the check could not be made.
    /// </summary>
    public int? NobodysFurtherReferrals { get; private set; }

    public async Task OnGetAsync()
    {
        var aborted = HttpContext.RequestAborted;
        var nobodys = CountNobodysFurtherReferralsAsync(aborted);
        try
        {
            Queue = await triage.QueueAsync(ProgrammeId, aborted);
        }
        finally
        {
            // Awaited whatever triage did: never left running past the response.
            NobodysFurtherReferrals = await nobodys;
        }
    }

    public string WorkerName(string id) => Queue.Workers.FirstOrDefault(w => w.LinkWorkerId == id)?.DisplayName is { } name ? $"{name} ({id})" : id;

    /// <summary>The queue is triage's: it shows whether or not support-plan answers.</summary>
    /// Any failure (down, too slow, an answer that is not the expected JSON) is "could not check", never an error page.
    private async Task<int?> CountNobodysFurtherReferralsAsync(CancellationToken aborted)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        timeout.CancelAfter(NobodysCheckTimeout);
        try
        {
            var result = await supportPlan.NobodysUnreadFurtherReferralsAsync(pageSize: 1, timeout.Token);
            if (result is { Succeeded: true, Value: { } page })
            {
                return page.Journeys.Count + (page.HasMore ? 1 : 0);
            }

            logger.LogWarning("Could not check for unread further referrals on journeys with no worker: support-plan answered {Status}", result.Problem?.Status);
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException || !aborted.IsCancellationRequested)
        {
            logger.LogWarning("Could not check for unread further referrals on journeys with no worker: {Error}", e.GetType().Name);
            return null;
        }
    }
}
