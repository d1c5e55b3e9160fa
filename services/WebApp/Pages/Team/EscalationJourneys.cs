using System.Collections.Concurrent;
using Referrals.WebApp.Api;

namespace Referrals.WebApp.Pages.Team;

/// <summary>What the team lead's escalations page and the worker's worklist can say about the journey behind an escalation.</summary>
public enum EscalationJourneyState
{
    /// <summary>Support-plan holds the journey and the reader (team lead, or duty worker asked about the escalation) may open it.</summary>
    Found,

    /// <summary>Support-plan has no journey for the referral yet (it registers one once it has the submission and triage's decision).</summary>
    NotRegistered,

    /// <summary>
    /// Support-plan refused it: for a team lead, the journey is not in a programme they lead; for a worker, support-plan has not
    /// (or not yet) granted them the duty worker's read.
    /// </summary>
    NotYours,

    /// <summary>Support-plan did not answer in time, refused otherwise, or answered with something unexpected.</summary>
    NotChecked,
}

public sealed record EscalationJourney(EscalationJourneyState State, Guid? JourneyId = null);

/// <summary>
/// Finds the journey behind each escalation, so a team lead acting on one (the escalations page) or the duty worker asked about
/// it (the worklist, support-plan's duty read, HAZ-001 C15) can open the person's journey (contact details, the referrer's
/// words). Triage's <c>JourneyId</c> is the id intake proposed, which support-plan may not have used (a re-referral reopening a
/// closed journey, an id already taken), so the journey is looked up by the escalation's referral in support-plan's referral →
/// journey map. Only when that map has no entry is triage's id tried, and only where it is the id support-plan itself holds: a
/// concern raised on the journey (support-plan sent it) and a further referral (support-plan records it on the journey intake
/// named), linked as it stands. Each lookup in the map is audited by support-plan as a read of the journey.
/// </summary>
public static class EscalationJourneys
{
    /// <summary>How long the page waits for all its lookups together before saying it could not check the rest.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private const int AtOnce = 8;

    public static async Task<IReadOnlyDictionary<Guid, EscalationJourney>> FindAsync(SupportPlanClient supportPlan,
        IReadOnlyCollection<EscalationSummary> escalations, ILogger logger, CancellationToken aborted)
    {
        var found = new ConcurrentDictionary<Guid, EscalationJourney>();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        limit.CancelAfter(Timeout);
        try
        {
            await Parallel.ForEachAsync(escalations, new ParallelOptions { MaxDegreeOfParallelism = AtOnce, CancellationToken = limit.Token },
                async (escalation, ct) => found[escalation.EscalationId] = await FindAsync(supportPlan, escalation, logger, ct));
        }
        catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
        {
            logger.LogWarning("Could not look up the journeys of every escalation within {Seconds} s", Timeout.TotalSeconds);
        }

        return escalations.ToDictionary(e => e.EscalationId,
            e => found.GetValueOrDefault(e.EscalationId) ?? new EscalationJourney(EscalationJourneyState.NotChecked));
    }

    private static async Task<EscalationJourney> FindAsync(SupportPlanClient supportPlan, EscalationSummary escalation, ILogger logger,
        CancellationToken ct)
    {
        try
        {
            var byReferral = await supportPlan.JourneyOfReferralAsync(escalation.ReferralId, ct);
            if (byReferral is { Succeeded: true, Value: { } link })
            {
                return new EscalationJourney(EscalationJourneyState.Found, link.JourneyId);
            }

            if (byReferral.Problem?.Status != StatusCodes.Status404NotFound)
            {
                return Refused(byReferral.Problem, escalation, logger);
            }

            // Triage's journey id is support-plan's own only for these triggers; for triage's decision it is intake's proposal. It is
            // linked without asking support-plan for the journey: that read returns the whole journey and is audited as the
            // reader's, though they have not opened it; the journey page answers for itself when they do.
            return escalation.Trigger is "SafeguardingConcern" or "LinkedReferral"
                ? new EscalationJourney(EscalationJourneyState.Found, escalation.JourneyId)
                : new EscalationJourney(EscalationJourneyState.NotRegistered);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogWarning("Could not look up the journey of escalation {EscalationId}: {Error}", escalation.EscalationId, e.GetType().Name);
            return new EscalationJourney(EscalationJourneyState.NotChecked);
        }
    }

    private static EscalationJourney Refused(ApiProblem? problem, EscalationSummary escalation, ILogger logger)
    {
        logger.LogWarning("Could not look up the journey of escalation {EscalationId}: support-plan answered {Status}", escalation.EscalationId,
            problem?.Status);
        return new EscalationJourney(problem?.Status == StatusCodes.Status403Forbidden ? EscalationJourneyState.NotYours : EscalationJourneyState.NotChecked);
    }
}
