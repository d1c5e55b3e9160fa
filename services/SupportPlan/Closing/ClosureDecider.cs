using Referrals.ServiceDefaults.Problems;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.Closing;

/// <summary>
/// A planned discharge. <see cref="ClosingMeasuresSkippedReason"/> is the answer to the closing-measures prompt when the
/// person's closing outcome measures are not taken.
/// </summary>
public sealed record CloseJourney(ClosureReason Reason, string? Note, string? ClosingMeasuresSkippedReason);

/// <summary>
/// Closing the professional relationship well:
/// <list type="bullet">
/// <item>reasons: goals met, person chose to end, moved away, referred to another service, unable to contact (after the
/// configured number of failed attempts since the last contact), deceased. Declined and withdrawn are closed by the system.</item>
/// <item>the prompt for closing outcome measures: for a discharge with the person still engaged (goals met, chose to end,
/// referred on), each instrument with a baseline needs a closing measure, or a reason for skipping it.</item>
/// <item>a home visit still checked in blocks closure (check out first).</item>
/// <item>the closing summary for the GP is built from the journey and sent with JourneyClosed.</item>
/// </list>
/// </summary>
public static class ClosureDecider
{
    public static readonly IReadOnlySet<ClosureReason> PlannedReasons = new HashSet<ClosureReason>
    {
        ClosureReason.GoalsMet, ClosureReason.PersonChoseToEnd, ClosureReason.MovedAway, ClosureReason.ReferredToAnotherService,
        ClosureReason.UnableToContact, ClosureReason.Deceased,
    };

    /// <summary>The reasons after which the person can still be asked for closing measures.</summary>
    public static readonly IReadOnlySet<ClosureReason> PromptsClosingMeasures = new HashSet<ClosureReason>
    {
        ClosureReason.GoalsMet, ClosureReason.PersonChoseToEnd, ClosureReason.ReferredToAnotherService,
    };

    public static IReadOnlyList<object> Close(Journey journey, CloseJourney command, JourneyPolicy policy, string by, DateTimeOffset now)
    {
        new Validation()
            .Check(PlannedReasons.Contains(command.Reason), "reason",
                "One of GoalsMet, PersonChoseToEnd, MovedAway, ReferredToAnotherService, UnableToContact, Deceased.")
            .Optional(command.Note, "note", Validation.Narrative)
            .Optional(command.ClosingMeasuresSkippedReason, "closingMeasuresSkippedReason", Validation.Text)
            .ThrowIfAny();
        JourneyRules.RequireStatus(journey, "close the journey", JourneyStatus.AwaitingAcceptance, JourneyStatus.NotEligible, JourneyStatus.Open,
            JourneyStatus.Active, JourneyStatus.Dormant);
        if (journey.OpenVisit is not null)
        {
            throw new DomainRuleException("A home visit is still checked in: check out of it before closing the journey.");
        }

        if (command.Reason == ClosureReason.UnableToContact && journey.FailedAttemptsSinceLastContact < policy.UnableToContactAttempts)
        {
            throw new DomainRuleException(
                $"\"Unable to contact\" needs {policy.UnableToContactAttempts} recorded failed attempts since the last contact; {journey.FailedAttemptsSinceLastContact} so far.");
        }

        var due = PromptsClosingMeasures.Contains(command.Reason) ? journey.ClosingMeasuresDue : [];
        if (due.Count > 0 && string.IsNullOrWhiteSpace(command.ClosingMeasuresSkippedReason))
        {
            throw new DomainRuleException(
                $"Closing outcome measures are due for {string.Join(", ", due)}: record them, or give closingMeasuresSkippedReason.");
        }

        return
        [
            new JourneyClosed(journey.Id, journey.PersonId, command.Reason, command.Note, due, due.Count > 0 ? command.ClosingMeasuresSkippedReason : null,
                by, now),
        ];
    }
}
