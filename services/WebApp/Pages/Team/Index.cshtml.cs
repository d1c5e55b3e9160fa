using Referrals.WebApp.Api;

namespace Referrals.WebApp.Pages.Team;

/// <summary>
/// The programme queue with capacity by worker and waiting times; a warning when a further referral nobody has read is on a
/// journey with no worker in any programme the team lead leads (HAZ-001 C11): no caseload shows it, so the landing page says so;
/// and, for a team lead of several programmes, a warning when escalations await acknowledgement or a safeguarding concern triage
/// has not confirmed is on a journey in any of the others (HAZ-001), since this page shows one programme only. Above those, the
/// home visits overdue for check-out that no team lead has acknowledged, in every programme they lead (HAZ-008), and the shown
/// programme's escalations awaiting acknowledgement (HAZ-002): the page a team lead keeps open. <c>/team/alerts</c> tells it of
/// new ones while it stays open. The queue is one more bounded check: when triage cannot give it, the page still carries every
/// other check and its alert region, and says the programme's escalations could not be checked (HAZ-008 C6, HAZ-002 C5).
/// </summary>
public sealed class IndexModel(TriageClient triage, SupportPlanClient supportPlan, ILogger<IndexModel> logger) : TeamPageModel
{
    /// <summary>How long the landing page waits for each of its checks before saying the check could not be made.</summary>
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    /// <summary>As the escalations page waits for each queue: the page's slowest check, so it answers within 10 s whatever triage does.</summary>
    private static readonly TimeSpan QueueTimeout = EscalationsModel.QueueTimeout;

    /// <summary>The shown programme's queue; null when triage did not give it, so its escalations are unknown, never "none".</summary>
    public ProgrammeQueue? Queue { get; private set; }

    /// <summary>Why triage did not give the shown programme's queue (null with the queue, or with no programme to ask for).</summary>
    public ReadFailure? QueueFailure { get; private set; }

    /// <summary>Home visits overdue for check-out that no team lead has acknowledged, oldest expected end first; null when support-plan did not answer.</summary>
    public IReadOnlyList<OverdueVisit>? OverdueCheckOuts { get; private set; }

    /// <summary>
    /// Journeys with an unread further referral and no worker, from a page of one (support-plan gives no total): 0, 1, or 2
    /// meaning "2 or more"; null when support-plan did not answer, so the page says the check could not be made.
    /// </summary>
    public int? NobodysFurtherReferrals { get; private set; }

    /// <summary>Each other programme's escalations awaiting acknowledgement; null for one whose queue could not be read.</summary>
    public IReadOnlyList<ProgrammeRead<IReadOnlyList<EscalationSummary>>> OtherEscalations { get; private set; } = [];

    /// <summary>
    /// Each other programme's journeys with a safeguarding concern triage has not confirmed, from a page of one: 0, 1, or 2 meaning
    /// "2 or more"; null for one support-plan did not answer for.
    /// </summary>
    public IReadOnlyList<(string Programme, int? Journeys)> OtherUnconfirmedConcerns { get; private set; } = [];

    public async Task OnGetAsync()
    {
        var aborted = HttpContext.RequestAborted;
        var overdue = ProgrammeReads.TryAsync(supportPlan.OverdueVisitsAsync, CheckTimeout, logger, "the overdue lone-working check-outs", aborted);
        var nobodys = ProgrammeReads.TryAsync(ct => supportPlan.UnreadFurtherReferralJourneysAsync(unassigned: true, page: 1, pageSize: 1, ct),
            CheckTimeout, logger, "the unread further referrals on journeys with no worker", aborted);
        var others = OtherProgrammes;
        // Every check at once, the queue with them: one queue and one page of one journey each for the other programmes.
        // A token naming no programme has no queue to ask for: the page says the account is not set up instead.
        var queue = NamesNoProgramme ? Task.FromResult(new ProgrammeRead<ProgrammeQueue>(string.Empty, null))
            : ProgrammeReads.ReadAsync(ProgrammeId, ct => triage.QueueAsync(ProgrammeId, ct), QueueTimeout, logger, $"the queue of programme {ProgrammeId}", aborted);
        var escalations = ProgrammeReads.EachAsync(others,
            async (p, ct) => (await triage.QueueAsync(p, ct)).UnacknowledgedEscalations, CheckTimeout, logger, "the escalations", aborted);
        var concerns = ProgrammeReads.EachAsync(others,
            (p, ct) => supportPlan.SafeguardingJourneysAsync(p, unconfirmedConcern: true, page: 1, pageSize: 1, ct), CheckTimeout, logger,
            "the unconfirmed safeguarding concerns", aborted);
        // Each check turns any failure into null and throws only when the request is aborted, which cancels them all.
        (_, Queue, QueueFailure) = await queue;
        OverdueCheckOuts = (await overdue)?.OrderBy(v => v.ExpectedEnd).ToList();
        NobodysFurtherReferrals = OneOrMore(await nobodys);
        OtherEscalations = await escalations;
        OtherUnconfirmedConcerns = (await concerns).Select(c => (c.Programme, OneOrMore(c.Value))).ToList();
    }

    /// <summary>A page of one as 0, 1 or 2 meaning "2 or more" (support-plan gives no total); null when it could not be read.</summary>
    private static int? OneOrMore(JourneyPage? pageOfOne) => pageOfOne is null ? null : pageOfOne.Journeys.Count + (pageOfOne.HasMore ? 1 : 0);

    /// <summary>
    /// The escalations and overdue visits this page shows, for its script to ask <c>/team/alerts</c> about any others: space-separated
    /// ids, null for a check that could not be made (then every one found later is new to this page).
    /// </summary>
    public string? ShownVisits => OverdueCheckOuts is { } visits ? string.Join(' ', visits.Select(v => v.VisitId)) : null;

    /// <inheritdoc cref="ShownVisits"/>
    /// <remarks>Those of a programme whose queue could not be read are not shown, so <c>/team/alerts</c> counts each as new once it can.</remarks>
    public string ShownEscalations => Ids(ShownEscalationList);

    /// <summary>
    /// Those of <see cref="ShownEscalations"/> with nobody to ask, and those in a repeat round (HAZ-002 C5): <c>/team/alerts</c> counts
    /// any other escalation in either state, so one shown waiting that reaches it while the page is open is announced.
    /// </summary>
    public string ShownNobodyToAsk => Ids(ShownEscalationList.Where(e => e.State == "NobodyToAsk"));

    /// <inheritdoc cref="ShownNobodyToAsk"/>
    public string ShownRepeatRound => Ids(ShownEscalationList.Where(e => e.RepeatRound > 0));

    /// <summary>
    /// A programme's queue could not be read when the page loaded, so an escalation the script later finds there may have been
    /// waiting since before: it says the page could not check then, as for the overdue check-outs, rather than "new".
    /// </summary>
    public bool EscalationsUnknown => (Queue is null && !NamesNoProgramme) || OtherEscalations.Any(o => o.Value is null);

    private IEnumerable<EscalationSummary> ShownEscalationList =>
        (Queue?.UnacknowledgedEscalations ?? []).Concat(OtherEscalations.SelectMany(o => o.Value ?? []));

    private static string Ids(IEnumerable<EscalationSummary> escalations) => string.Join(' ', escalations.Select(e => e.EscalationId));

    /// <summary>Only for the parts shown with the queue.</summary>
    public string WorkerName(string id) => Queue!.Workers.FirstOrDefault(w => w.LinkWorkerId == id)?.DisplayName is { } name ? $"{name} ({id})" : id;
}
