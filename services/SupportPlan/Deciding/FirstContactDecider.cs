using Referrals.ServiceDefaults.Problems;
using Referrals.SupportPlan.Closing;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.Deciding;

/// <summary>The person agreed to social prescribing at first contact.</summary>
public sealed record RecordAgreement(DateTimeOffset? AgreedAt);

/// <summary>The person declined at first contact, with their reason.</summary>
public sealed record RecordDecline(string? Reason, DateTimeOffset? DeclinedAt);

/// <summary>
/// The person's decision at the first interaction. The agreement is the coded moment for 871731000000106 and is recorded once
/// per episode of care: a journey that already holds an agreement (including one reopened for a re-referral) refuses another.
/// A decline (871711000000103) closes the journey; it is only possible while the decision is still due.
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

    public static IReadOnlyList<object> Decline(Journey journey, RecordDecline command, string by, DateTimeOffset now)
    {
        new Validation().Optional(command.Reason, "reason", Validation.Text).ThrowIfAny();
        if (journey.AgreedAt is not null)
        {
            throw new DomainRuleException("The person already agreed in this episode of care; to end the work, close the journey (person chose to end).");
        }

        JourneyRules.RequireStatus(journey, "record that the person declined", JourneyStatus.Open);
        var at = JourneyRules.WhenInEpisode(journey, command.DeclinedAt, now, "declinedAt");
        return
        [
            new SocialPrescribingDeclined(journey.Id, journey.PersonId, command.Reason, by, at),
            new JourneyClosed(journey.Id, journey.PersonId, ClosureReason.Declined, null, [], null, by, at),
        ];
    }
}
