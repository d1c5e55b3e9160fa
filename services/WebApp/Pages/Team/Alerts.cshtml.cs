using Microsoft.AspNetCore.Mvc;
using Referrals.WebApp.Api;

namespace Referrals.WebApp.Pages.Team;

/// <summary>
/// What the team lead's landing page asks every 30 seconds while it stays open (<c>wwwroot/js/team-alerts.mjs</c>): how many home
/// visits overdue for check-out (HAZ-008) and escalations awaiting acknowledgement (HAZ-001, HAZ-002), in every programme they
/// lead, are not among those the page showed (<c>?visits=</c> and <c>?escalations=</c>, space- or comma-separated ids), and how
/// many have nobody to ask or are in a repeat round and were not shown so (<c>?nobodyToAsk=</c>, <c>?repeatRound=</c>: the
/// worst of HAZ-002, which an escalation the page showed waiting can reach while it stays open). Ids only in the query string:
/// beyond Kestrel's 8 KB request line (about 200 ids in all) the web app answers 414 and the script says it could not check. Counts
/// only: no personal data, nothing the page must not show. A team lead page like the others (the folder's role), read-only, so
/// a GET without an anti-forgery token; each check as bounded as the landing page's, null or counted as not checked on any failure.
/// </summary>
public sealed class AlertsModel(TriageClient triage, SupportPlanClient supportPlan, ILogger<AlertsModel> logger) : TeamPageModel
{
    /// <summary>As the landing page's checks: a poll never waits longer than the page did.</summary>
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    public async Task<IActionResult> OnGetAsync(string? visits, string? escalations, string? nobodyToAsk, string? repeatRound)
    {
        var aborted = HttpContext.RequestAborted;
        var overdue = ProgrammeReads.TryAsync(supportPlan.OverdueVisitsAsync, CheckTimeout, logger, "the overdue lone-working check-outs", aborted);
        // As long as the page waits for its queue, so a triage the page could read is not said, every poll, not to answer.
        var queues = ProgrammeReads.EachAsync(Programmes, triage.QueueAsync, EscalationsModel.QueueTimeout, logger, "the escalations", aborted);
        var shownVisits = Ids(visits);
        var shownEscalations = Ids(escalations);
        var shownNobodyToAsk = Ids(nobodyToAsk);
        var shownRepeatRound = Ids(repeatRound);
        var overdueNow = await overdue;
        var queuesNow = await queues;
        var escalationsNow = queuesNow.SelectMany(q => q.Value?.UnacknowledgedEscalations ?? []).ToList();
        Response.Headers.CacheControl = "no-store";
        return new JsonResult(new TeamAlerts(
            overdueNow?.Count(v => !shownVisits.Contains(v.VisitId)),
            escalationsNow.Count(e => !shownEscalations.Contains(e.EscalationId)),
            escalationsNow.Count(e => e.State == "NobodyToAsk" && !shownNobodyToAsk.Contains(e.EscalationId)),
            escalationsNow.Count(e => e.RepeatRound > 0 && !shownRepeatRound.Contains(e.EscalationId)),
            queuesNow.Count(q => q.Value is null)));
    }

    /// <summary>The ids the page sent; anything that is not one is ignored (so counted as not shown).</summary>
    private static HashSet<Guid> Ids(string? list) =>
        (list ?? string.Empty).Split([' ', ','], StringSplitOptions.RemoveEmptyEntries)
        .Select(id => Guid.TryParse(id, out var guid) ? guid : Guid.Empty).ToHashSet();
}

/// <summary>
/// New since the page loaded: overdue check-outs (null when support-plan did not answer) and escalations awaiting acknowledgement
/// in the programmes whose queue could be read, and escalations there (new or shown) that have nobody to ask or are in a repeat
/// round and were not shown so; <see cref="ProgrammesNotChecked"/> counts the other programmes.
/// </summary>
public sealed record TeamAlerts(int? NewOverdueCheckOuts, int NewEscalations, int NewNobodyToAsk, int NewRepeatRounds, int ProgrammesNotChecked);
