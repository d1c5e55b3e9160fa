using Referrals.ServiceDefaults.Problems;
using Referrals.SupportPlan.Closing;
using Referrals.SupportPlan.Journeys;
using Referrals.SupportPlan.Safeguarding;

namespace Referrals.SupportPlan.Deciding;

/// <summary>The person agreed to social prescribing at first contact.</summary>
public sealed record RecordAgreement(DateTimeOffset? AgreedAt);

/// <summary>
/// The person declined at first contact, with their reason. <see cref="CloseWithUnconfirmedConcernReason"/> is why the journey
/// closes while a safeguarding concern raised on it is not yet confirmed by triage (without it such a decline is refused, as a
/// closure is: HAZ-001 C9).
/// </summary>
public sealed record RecordDecline(string? Reason, DateTimeOffset? DeclinedAt, string? CloseWithUnconfirmedConcernReason = null);

/// <summary>
/// The person's decision at the first interaction. The agreement is the coded moment for 871731000000106 and is recorded once
/// per episode of care: a journey that already holds an agreement (including one reopened for a re-referral) refuses another.
/// A decline (871711000000103) closes the journey; it is only possible while the decision is still due, and over a safeguarding
/// concern triage has not confirmed only with a reason, recorded on <see cref="JourneyClosed"/> with the concern ids (the
/// closure rule, <see cref="ClosureDecider.OverUnconfirmedConcerns"/>), not while a further referral linked to the journey
/// is unread (<see cref="ClosureDecider.RequireFurtherReferralsRead"/>, HAZ-001 C11), and, as a closure, not while a home visit
/// is checked in.
/// </summary>
public static class FirstContactDecider
{
    public static IReadOnlyList<object> Agree(Journey journey, RecordAgreement command, string by, DateTimeOffset now)
    {
        if (journey.AgreedAt is not null)
        {
            throw new DomainRuleException(
                "The person already agreed to social prescribing in this episode of care; 871731000000106 is recorded once per episode and never again on a reopened journey.");
        }

        JourneyRules.RequireStatus(journey, "record the person's agreement", JourneyStatus.Open);
        var at = JourneyRules.WhenInEpisode(journey, command.AgreedAt, now, "agreedAt");
        return [new PersonAgreedToSocialPrescribing(journey.Id, journey.Episode, by, at)];
    }

    /// <param name="confirmations">The confirmation state of the journey's concerns, by concern id (a concern absent is unconfirmed).</param>
    public static IReadOnlyList<object> Decline(Journey journey, IReadOnlyDictionary<Guid, ConcernConfirmation> confirmations, RecordDecline command,
        string by, DateTimeOffset now)
    {
        new Validation()
            .Optional(command.Reason, "reason", Validation.Text)
            .Optional(command.CloseWithUnconfirmedConcernReason, "closeWithUnconfirmedConcernReason", Validation.Text)
            .ThrowIfAny();
        if (journey.AgreedAt is not null)
        {
            throw new DomainRuleException("The person already agreed in this episode of care; to end the work, close the journey (person chose to end).");
        }

        JourneyRules.RequireStatus(journey, "record that the person declined", JourneyStatus.Open);
        if (journey.OpenVisit is not null)
        {
            // As a closure waits: the visit is then recorded as a contact at check-out while the journey is open.
            throw new DomainRuleException("A home visit is still checked in: check out of the visit first, then record that the person declined.");
        }

        var at = JourneyRules.WhenInEpisode(journey, command.DeclinedAt, now, "declinedAt");
        ClosureDecider.RequireFurtherReferralsRead(journey);
        var (overConcerns, overReason) = ClosureDecider.OverUnconfirmedConcerns(journey, confirmations, command.CloseWithUnconfirmedConcernReason);
        return
        [
            new SocialPrescribingDeclined(journey.Id, journey.PersonId, command.Reason, by, at),
            new JourneyClosed(journey.Id, journey.PersonId, ClosureReason.Declined, null, [], null, by, at)
            {
                ClosedWithUnconfirmedConcerns = overConcerns,
                ClosedWithUnconfirmedConcernReason = overReason,
            },
        ];
    }
}
