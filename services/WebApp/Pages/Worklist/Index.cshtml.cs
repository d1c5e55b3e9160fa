using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Referrals.ServiceDefaults.Auth;
using Referrals.WebApp.Api;
using Referrals.WebApp.Display;
using Referrals.WebApp.Pages.Team;

namespace Referrals.WebApp.Pages.Worklist;

public sealed class IndexModel(TriageClient triage, SupportPlanClient supportPlan, ILogger<IndexModel> logger) : PageModel
{
    /// <summary>How long the worklist waits for support-plan's open home visits before showing triage's list without them.</summary>
    private static readonly TimeSpan OpenVisitsTimeout = TimeSpan.FromSeconds(5);

    public Api.Worklist Worklist { get; private set; } = null!;

    /// <summary>
    /// The worker's own home visits still checked in, whoever holds the journey now: after a reassignment this is where they
    /// check out (HAZ-008), as they can no longer open the journey.
    /// </summary>
    public IReadOnlyList<MyOpenVisit> OpenVisits { get; private set; } = [];

    /// <summary>Support-plan did not answer: the worklist still shows (escalations must not wait on it), with a warning.</summary>
    public bool OpenVisitsUnavailable { get; private set; }

    /// <summary>
    /// The journey behind each escalation listed (the worker's own and those passed on from them), by escalation id: support-plan
    /// lets the duty worker asked about an escalation read its journey for a while (HAZ-001 C15), audited as such.
    /// </summary>
    public IReadOnlyDictionary<Guid, EscalationJourney> Journeys { get; private set; } = new Dictionary<Guid, EscalationJourney>();

    public EscalationJourney JourneyOf(EscalationSummary escalation) =>
        Journeys.GetValueOrDefault(escalation.EscalationId) ?? new EscalationJourney(EscalationJourneyState.NotChecked);

    /// <summary>
    /// What the worker's token lacks to be offered referrals and asked to acknowledge escalations (no link worker id, or no
    /// programme: identity provider misconfigured or stale), or null. The page says so instead of "none waiting" (HAZ-002 C7).
    /// </summary>
    public string? AccountNotSetUp => User.LinkWorkerId() is null ? "has no link worker id"
        : User.Programmes().Count == 0 ? "names no programme"
        : null;

    public async Task OnGetAsync()
    {
        var aborted = HttpContext.RequestAborted;
        var visits = LoadOpenVisitsAsync(aborted);
        try
        {
            if (User.LinkWorkerId() is null)
            {
                // Triage has no worklist without the id; its absence is the message, not an error page.
                logger.LogWarning("A link worker's token has no link worker id: the worklist says the account is not set up");
                Worklist = new Api.Worklist(string.Empty, DateTimeOffset.UtcNow, [], []);
            }
            else
            {
                Worklist = await triage.WorklistAsync(aborted);
                await FindJourneysAsync(aborted);
            }
        }
        finally
        {
            // Awaited whatever triage did: never left running past the response.
            await visits;
        }
    }

    /// <summary>
    /// Any failure (down, a refusal, 5 s without an answer, an answer that is not the expected JSON) is a warning on the page,
    /// never an error page in place of triage's escalations (HAZ-001); logged by type only (<see cref="ProgrammeReads"/>).
    /// </summary>
    private async Task LoadOpenVisitsAsync(CancellationToken aborted)
    {
        var visits = await ProgrammeReads.TryAsync<IReadOnlyList<MyOpenVisit>>(async ct =>
            {
                var result = await supportPlan.MyOpenVisitsAsync(ct);
                return result.Problem is { } problem ? throw new ApiException(problem) : result.Value ?? [];
            },
            OpenVisitsTimeout, logger, "the worker's open home visits", aborted);
        OpenVisits = visits ?? [];
        OpenVisitsUnavailable = visits is null;
    }

    /// <summary>
    /// Bounded as <see cref="EscalationJourneys"/> is (5 s for all the lookups): any failure leaves the row without a link, with a
    /// note, never an error page in place of triage's escalations (HAZ-001).
    /// </summary>
    private async Task FindJourneysAsync(CancellationToken aborted)
    {
        var escalations = Worklist.Escalations.Concat(Worklist.EscalationsPassedOn ?? []).DistinctBy(e => e.EscalationId).ToList();
        if (escalations.Count == 0)
        {
            return;
        }

        try
        {
            Journeys = await EscalationJourneys.FindAsync(supportPlan, escalations, logger, aborted);
        }
        catch (Exception e) when (e is not OperationCanceledException || !aborted.IsCancellationRequested)
        {
            logger.LogWarning("Could not look up the journeys of the worker's escalations: {Error}", e.GetType().Name);
        }
    }

    /// <summary>Check-out needs no version: support-plan records it whatever changed on the journey since.</summary>
    public async Task<IActionResult> OnPostCheckOutAsync(Guid journeyId, Guid visitId)
    {
        var result = await supportPlan.ChangeAsync(journeyId, $"home-visits/{visitId}/check-out", new { outcome = "Attended" }, null,
            ct: HttpContext.RequestAborted);
        return await AfterAsync(result.Problem, "You checked out of the home visit. The visit is recorded as a contact.");
    }

    public async Task<IActionResult> OnPostAcceptAsync(Guid assignmentId, Guid referralId)
    {
        var result = await triage.AcceptAsync(assignmentId, HttpContext.RequestAborted);
        return await AfterAsync(result.Problem,
            $"You accepted referral {Labels.Reference(referralId)}. Its journey is on your caseload; open it from this list.");
    }

    public async Task<IActionResult> OnPostAcknowledgeAsync(Guid escalationId)
    {
        var result = await triage.AcknowledgeEscalationAsync(escalationId, HttpContext.RequestAborted);
        return await AfterAsync(result.Problem, "You acknowledged the escalation. The duty chain has stopped.");
    }

    private async Task<IActionResult> AfterAsync(ApiProblem? problem, string success)
    {
        if (problem is null)
        {
            TempData["Success"] = success;
            return RedirectToPage();
        }

        ModelState.AddModelError(string.Empty, problem.Message);
        await OnGetAsync();
        return Page();
    }
}
