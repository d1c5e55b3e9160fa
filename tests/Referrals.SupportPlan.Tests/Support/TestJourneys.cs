using Referrals.Contracts;
using Referrals.SupportPlan.Closing;
using Referrals.SupportPlan.Deciding;
using Referrals.SupportPlan.Journeys;
using Referrals.SupportPlan.Opening;
using Referrals.SupportPlan.Registering;

namespace Referrals.SupportPlan.Tests.Support;

/// <summary>Journeys in a given state for the pure decider tests, built by folding the real events.</summary>
public static class TestJourneys
{
    public static readonly DateTimeOffset Now = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    public const string Programme = "prog-leeds";
    public const string Worker = "lw-1";

    public static ReferralFacts Facts(Guid? referralId = null, bool eligible = true, string? district = "LS6") => new(
        referralId ?? Guid.NewGuid(), "B82005", new Referrer(ReferrerKind.GpPractice, "B82005", null, null, null),
        [NeedCategory.LonelinessOrIsolation], district, Urgency.Routine, ConsentScope.Full, Now.AddDays(-3), eligible, [], 3, Tier.LinkWorker,
        Priority.Routine, false, Now.AddDays(-2));

    public static Journey Registered(Guid? journeyId = null, Guid? personId = null, bool eligible = true, string? district = "LS6") =>
        Apply(null, new JourneyRegistered(journeyId ?? Guid.NewGuid(), personId ?? Guid.NewGuid(), Programme, Facts(eligible: eligible, district: district),
            null, "what matters", false, Now.AddDays(-2)));

    public static Journey Opened(string worker = Worker) =>
        Open(Registered(), worker);

    public static Journey Open(Journey journey, string worker = Worker) =>
        Apply(journey, new JourneyOpened(journey.Id, journey.Referral.ReferralId, Guid.NewGuid(), worker, journey.Reopened, journey.Episode + 1, Now.AddDays(-1), Now.AddDays(-1)));

    public static Journey Active() => Agree(Opened());

    public static Journey Agree(Journey journey) =>
        Apply(journey, new PersonAgreedToSocialPrescribing(journey.Id, journey.Episode, Worker, Now.AddHours(-20)));

    public static Journey Closed(Journey journey, DateTimeOffset closedAt, ClosureReason reason = ClosureReason.GoalsMet) =>
        Apply(journey, new JourneyClosed(journey.Id, journey.PersonId, reason, null, [], null, Worker, closedAt));

    public static Journey Apply(Journey? journey, params object[] events) => Fold.Apply(journey, events)!;
}
