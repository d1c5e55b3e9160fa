using Microsoft.AspNetCore.Mvc;
using Referrals.WebApp.Api;
using Referrals.WebApp.Display;

namespace Referrals.WebApp.Pages.Team;

/// <summary>
/// The escalations awaiting acknowledgement in every programme the team lead leads (HAZ-001), the programmes' queues read at
/// once: a missed escalation is the worst failure, so not only the first programme's, and a programme whose queue could not be
/// read is named rather than read as "nothing waiting". Each escalation links to the person's journey when support-plan holds
/// one (<see cref="EscalationJourneys"/>), and says why not otherwise.
/// </summary>
public sealed class EscalationsModel(TriageClient triage, SupportPlanClient supportPlan, ILogger<EscalationsModel> logger) : TeamPageModel
{
    /// <summary>How long the page waits for each programme's queue before saying it could not check that programme.</summary>
    public static readonly TimeSpan QueueTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Oldest first, across the programmes.</summary>
    public IReadOnlyList<EscalationSummary> Escalations { get; private set; } = [];

    /// <summary>The programmes whose queue could not be read: their escalations are unknown.</summary>
    public IReadOnlyList<string> Unchecked { get; private set; } = [];

    /// <summary><see cref="Unchecked"/> by why triage gave no queue, so a refusal is not worded as triage not answering.</summary>
    public IReadOnlyList<IGrouping<ReadFailure?, string>> UncheckedWhy { get; private set; } = [];

    /// <summary>The programmes whose queue was read.</summary>
    public IReadOnlyList<string> Checked { get; private set; } = [];

    /// <summary>The journey behind each escalation, by escalation id.</summary>
    public IReadOnlyDictionary<Guid, EscalationJourney> Journeys { get; private set; } = new Dictionary<Guid, EscalationJourney>();

    public async Task OnGetAsync()
    {
        var queues = await ProgrammeReads.EachAsync(Programmes, triage.QueueAsync, QueueTimeout, logger, "the escalations",
            HttpContext.RequestAborted);
        Escalations = queues.SelectMany(q => q.Value?.UnacknowledgedEscalations ?? []).OrderBy(e => e.OpenedAt).ToList();
        Checked = queues.Where(q => q.Value is not null).Select(q => q.Programme).ToList();
        Unchecked = queues.Where(q => q.Value is null).Select(q => q.Programme).ToList();
        UncheckedWhy = queues.Where(q => q.Value is null).GroupBy(q => q.Failure, q => q.Programme).ToList();
        Journeys = await EscalationJourneys.FindAsync(supportPlan, Escalations, logger, HttpContext.RequestAborted);
    }

    public EscalationJourney JourneyOf(EscalationSummary escalation) =>
        Journeys.GetValueOrDefault(escalation.EscalationId) ?? new EscalationJourney(EscalationJourneyState.NotChecked);

    /// <summary>Triage lets a team lead acknowledge in any of their programmes and answers with the escalation, so nothing is looked up first.</summary>
    public async Task<IActionResult> OnPostAsync(Guid escalationId)
    {
        var result = await triage.AcknowledgeEscalationAsync(escalationId, HttpContext.RequestAborted);
        if (result.Problem is { } problem)
        {
            ModelState.AddModelError(string.Empty, problem.Message);
            await OnGetAsync();
            return Page();
        }

        var acknowledged = result.Value;
        TempData["Success"] = acknowledged is null
            ? "You acknowledged the escalation. The duty chain has stopped."
            : $"You acknowledged the escalation for referral {Labels.Reference(acknowledged.ReferralId)}{(SeveralProgrammes ? $" in {acknowledged.ProgrammeId}" : "")}. The duty chain has stopped.";
        return RedirectToPage();
    }
}
