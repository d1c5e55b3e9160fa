using Referrals.Contracts;
using Referrals.Triage.Journeys;

namespace Referrals.Triage.Tests.Journeys;

/// <summary>
/// Which referral a support-plan fact about a journey concerns, by the version of the journey stream it came from (pure).
/// A reopened journey carries one referral per episode; a late fact must go to its own episode's referral.
/// </summary>
public sealed class JourneyIndexTests
{
    private static readonly Guid Journey = Guid.NewGuid();
    private static readonly Guid First = Guid.NewGuid();
    private static readonly Guid Second = Guid.NewGuid();

    private static JourneyLinked Linked(Guid referralId, long? version) =>
        new(referralId, Journey, "programme", null, DateTimeOffset.UnixEpoch) { SourceVersion = version };

    private static JourneyIndex Reopened() => JourneyIndex.Create(Linked(First, 1)).Apply(Linked(Second, 10));

    [Fact]
    public void A_fact_older_than_the_reopening_goes_to_the_earlier_episodes_referral_and_a_newer_one_to_the_current()
    {
        var index = Reopened();

        Assert.Equal(Second, index.ReferralId);
        Assert.Equal(First, index.ReferralAt(8));
        Assert.Equal(Second, index.ReferralAt(12));
    }

    [Fact]
    public void A_registration_arriving_after_a_later_one_is_kept_for_its_episode_but_does_not_become_current()
    {
        var index = JourneyIndex.Create(Linked(Second, 10)).Apply(Linked(First, 1));

        Assert.Equal(Second, index.ReferralId);
        Assert.Equal(First, index.ReferralAt(8));
        Assert.Equal(Second, index.ReferralAt(12));
    }

    [Fact]
    public void A_fact_of_an_episode_whose_registration_triage_has_not_seen_is_early()
    {
        var index = JourneyIndex.Create(Linked(Second, 10));

        Assert.Null(index.ReferralAt(8));
    }

    [Fact]
    public void Without_source_versions_facts_go_to_the_current_referral_as_before()
    {
        var index = JourneyIndex.Create(Linked(First, null)).Apply(Linked(Second, null));

        Assert.Equal(Second, index.ReferralAt(8));
        Assert.Equal(Second, Reopened().ReferralAt(JourneyIndex.VersionOf(Journey, null)));
        Assert.Equal(Second, Reopened().ReferralAt(JourneyIndex.VersionOf(Journey, new EventSource(Guid.NewGuid(), 8))));
        Assert.Equal(First, Reopened().ReferralAt(JourneyIndex.VersionOf(Journey, new EventSource(Journey, 8))));
    }
}
