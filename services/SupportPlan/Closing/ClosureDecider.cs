using Referrals.ServiceDefaults.Problems;
using Referrals.SupportPlan.Journeys;
using Referrals.SupportPlan.Safeguarding;

namespace Referrals.SupportPlan.Closing;

/// <summary>
/// A planned discharge. <see cref="ClosingMeasuresSkippedReason"/> is the answer to the closing-measures prompt when the
/// person's closing outcome measures are not taken. <see cref="CloseWithUnconfirmedConcernReason"/> is why the journey is closed
/// while a safeguarding concern raised on it is not yet confirmed by triage (without it such a closure is refused).
/// </summary>
public sealed record CloseJourney(ClosureReason Reason, string? Note, string? ClosingMeasuresSkippedReason,
    string? CloseWithUnconfirmedConcernReason = null);

/// <summary>
/// Closing the professional relationship well:
/// <list type="bullet">
/// <item>reasons: goals met, person chose to end, moved away, referred to another service, unable to contact (after the
/// configured number of failed attempts since the last contact), deceased. Declined and withdrawn are closed by the system.
/// A journey awaiting a worker's acceptance closes only for what can end it without the person having been seen: moved
/// away, unable to contact, deceased (the GP is sent the reason, coded). A journey triage found not eligible is not closed
/// by anyone: it was never opened, triage's decision already ended it for the referrer and the person index, and a team
/// lead's override in triage brings it back (a closed journey would ignore that).</item>
/// <item>a safeguarding concern raised on the journey and not yet confirmed by triage (HAZ-001 C7) blocks closure, unless
/// the worker says why they close anyway; the reason and the concerns go on <see cref="JourneyClosed"/> (HAZ-001 C9). A
/// decline applies the same rule (<see cref="OverUnconfirmedConcerns"/>).</item>
/// <item>a further referral linked to the journey that nobody has acknowledged (HAZ-001 C8) blocks closure and a decline
/// outright (HAZ-001 C11, <see cref="RequireFurtherReferralsRead"/>): closing answers its referrer too, and whoever may close
/// may acknowledge it, so reading it is always possible and no reason to close anyway is taken.</item>
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

    /// <summary>
    /// The reasons a journey nobody accepted can close with: goals met, chose to end or referred on would tell the GP (coded)
    /// of an outcome for a person the service never saw.
    /// </summary>
    public static readonly IReadOnlySet<ClosureReason> NotTakenOnReasons = new HashSet<ClosureReason>
    {
        ClosureReason.MovedAway, ClosureReason.UnableToContact, ClosureReason.Deceased,
    };

    /// <summary>The reasons after which the person can still be asked for closing measures.</summary>
    public static readonly IReadOnlySet<ClosureReason> PromptsClosingMeasures = new HashSet<ClosureReason>
    {
        ClosureReason.GoalsMet, ClosureReason.PersonChoseToEnd, ClosureReason.ReferredToAnotherService,
    };

    /// <summary>Whether no worker has taken the journey on in its current episode.</summary>
    public static bool NotTakenOn(Journey journey) => journey.Status is JourneyStatus.AwaitingAcceptance or JourneyStatus.NotEligible;

    /// <summary>
    /// The reasons a worker may close the journey with and succeed once nothing else blocks closure (unconfirmed concerns and
    /// unread further referrals are listed and refused apart), in the enum's order: none for a journey not eligible,
    /// and unable to contact only once its attempts rule is met (contacts need a worked journey, so never in a first episode
    /// nobody took on).
    /// </summary>
    public static IReadOnlyList<ClosureReason> ReasonsFor(Journey journey, JourneyPolicy policy) =>
        journey.Status == JourneyStatus.NotEligible
            ? []
            : Enum.GetValues<ClosureReason>()
                .Where((NotTakenOn(journey) ? NotTakenOnReasons : PlannedReasons).Contains)
                .Where(r => r != ClosureReason.UnableToContact || UnableToContactMet(journey, policy))
                .ToList();

    private static bool UnableToContactMet(Journey journey, JourneyPolicy policy) =>
        journey.FailedAttemptsSinceLastContact >= policy.UnableToContactAttempts;

    /// <summary>
    /// The journey's concerns triage has not confirmed it received (<paramref name="confirmations"/> by concern id; a concern with
    /// no confirmation state yet, checked or not, is not confirmed), in the order raised. Of every episode: the confirmation
    /// loop keeps checking them whatever the journey's state.
    /// </summary>
    public static IReadOnlyList<SafeguardingConcern> UnconfirmedConcerns(Journey journey, IReadOnlyDictionary<Guid, ConcernConfirmation> confirmations) =>
        journey.Concerns.Where(c => confirmations.GetValueOrDefault(c.ConcernId)?.ConfirmedAt is null).ToList();

    /// <summary>
    /// The rule a worker's closure (planned or a decline) applies over concerns triage has not confirmed: none, or a reason
    /// given (blank counts as absent), else 409 naming the concern ids only (their words are the worker's, and personal).
    /// Returns what goes on <see cref="JourneyClosed"/>.
    /// </summary>
    public static (IReadOnlyList<Guid> Concerns, string? Reason) OverUnconfirmedConcerns(Journey journey,
        IReadOnlyDictionary<Guid, ConcernConfirmation> confirmations, string? closeWithUnconfirmedConcernReason)
    {
        var unconfirmed = UnconfirmedConcerns(journey, confirmations);
        if (unconfirmed.Count == 0)
        {
            return ([], null);
        }

        if (string.IsNullOrWhiteSpace(closeWithUnconfirmedConcernReason))
        {
            throw new DomainRuleException(
                $"Triage has not confirmed it received {unconfirmed.Count} safeguarding concern(s) raised on this journey ({string.Join(", ", unconfirmed.Select(c => c.ConcernId))}): make sure the duty team has them and close once triage confirms, or give closeWithUnconfirmedConcernReason.");
        }

        return ([.. unconfirmed.Select(c => c.ConcernId)], closeWithUnconfirmedConcernReason);
    }

    /// <summary>The further referrals linked to the journey that nobody has acknowledged reading, in the order received.</summary>
    public static IReadOnlyList<FurtherReferral> UnacknowledgedFurtherReferrals(Journey journey) =>
        journey.FurtherReferrals.Where(f => f.AcknowledgedAt is null).ToList();

    /// <summary>
    /// The rule a worker's closure (planned or a decline) applies over further referrals: none unacknowledged, else 409 naming
    /// the referral ids only (the referrer's words are personal). No reason overrides it: the closure would answer a referrer
    /// whose request nobody considered, and whoever may close the journey may acknowledge them (the same write rule).
    /// </summary>
    public static void RequireFurtherReferralsRead(Journey journey)
    {
        var unread = UnacknowledgedFurtherReferrals(journey);
        if (unread.Count > 0)
        {
            throw new DomainRuleException(
                $"{unread.Count} further referral(s) linked to this journey have not been read ({string.Join(", ", unread.Select(f => f.ReferralId))}): closing the journey answers their referrers too, so read each on the journey and acknowledge it (further-referrals/{{referralId}}/acknowledge), then close.");
        }
    }

    /// <param name="confirmations">The confirmation state of the journey's concerns, by concern id (a concern absent is unconfirmed).</param>
    public static IReadOnlyList<object> Close(Journey journey, IReadOnlyDictionary<Guid, ConcernConfirmation> confirmations, CloseJourney command,
        JourneyPolicy policy, string by, DateTimeOffset now)
    {
        new Validation()
            .Check(PlannedReasons.Contains(command.Reason), "reason",
                "One of GoalsMet, PersonChoseToEnd, MovedAway, ReferredToAnotherService, UnableToContact, Deceased.")
            .Optional(command.Note, "note", Validation.Narrative)
            .Optional(command.ClosingMeasuresSkippedReason, "closingMeasuresSkippedReason", Validation.Text)
            .Optional(command.CloseWithUnconfirmedConcernReason, "closeWithUnconfirmedConcernReason", Validation.Text)
            .ThrowIfAny();
        JourneyRules.RequireStatus(journey, "close the journey", JourneyStatus.AwaitingAcceptance, JourneyStatus.NotEligible, JourneyStatus.Open,
            JourneyStatus.Active, JourneyStatus.Dormant);
        if (journey.OpenVisit is not null)
        {
            throw new DomainRuleException("A home visit is still checked in: check out of it before closing the journey.");
        }

        if (journey.Status == JourneyStatus.NotEligible)
        {
            throw new DomainRuleException(
                "A journey triage found not eligible was never opened, so there is nothing to close: the referrer has triage's reasons and signposting, and a team lead who brings the referral back into scope in triage reopens it for acceptance.");
        }

        if (NotTakenOn(journey) && !NotTakenOnReasons.Contains(command.Reason))
        {
            throw new DomainRuleException(
                $"A journey no worker has taken on ({JourneyRules.Describe(journey.Status)}) can close only as MovedAway, UnableToContact or Deceased, not {command.Reason}: the GP would be sent an outcome for a person the service never saw.");
        }

        RequireFurtherReferralsRead(journey);
        var (overConcerns, overReason) = OverUnconfirmedConcerns(journey, confirmations, command.CloseWithUnconfirmedConcernReason);
        if (command.Reason == ClosureReason.UnableToContact && !UnableToContactMet(journey, policy))
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
                by, now)
            {
                ClosedWithUnconfirmedConcerns = overConcerns,
                ClosedWithUnconfirmedConcernReason = overReason,
            },
        ];
    }
}
