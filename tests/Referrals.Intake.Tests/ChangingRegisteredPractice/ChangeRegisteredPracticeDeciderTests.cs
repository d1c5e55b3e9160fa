using Referrals.Intake.ChangingRegisteredPractice;
using Referrals.Intake.Referrals;
using Referrals.Intake.Tracking;
using Referrals.ServiceDefaults.Problems;
using Referrals.SharedKernel;
using static Referrals.Intake.Tests.DataProtectionData;

namespace Referrals.Intake.Tests.ChangingRegisteredPractice;

public sealed class ChangeRegisteredPracticeDeciderTests
{
    private static ChangeRegisteredPractice Move(Guid personId, string ods = "B82005") => new(personId, OdsCode.Create(ods), "lead-1");

    [Fact]
    public void Every_referral_of_the_person_takes_the_new_practice_oldest_first_and_the_services_are_told_once()
    {
        var personId = Guid.NewGuid();
        var newer = Referral(personId);
        var older = Referral(personId, at: Now.AddDays(-30));

        var decision = ChangeRegisteredPracticeDecider.Decide([newer, older], false, Move(personId), Now);

        Assert.Equal([older.Id, newer.Id], decision.Events.Select(e => e.ReferralId));
        Assert.All(decision.Events, e => Assert.Equal(("B82005", personId, "lead-1", Now), (e.RegisteredPracticeOds, e.PersonId, e.RecordedBy, e.RecordedAt)));
        Assert.Equal(("B82005", personId, "lead-1", Now),
            (decision.Message!.RegisteredPracticeOds, decision.Message.PersonId, decision.Message.ChangedBy, decision.Message.ChangedAt));
        Assert.All([newer, older], r => Assert.Equal("B82005", decision.Events.Aggregate(r, (x, e) => x.Then(e)).RegisteredPracticeOds));
    }

    [Fact]
    public void A_finished_referral_takes_the_new_practice_too()
    {
        var personId = Guid.NewGuid();
        var closed = With(Referral(personId), ProgressPhase.Journey, ReferralStatus.Closed, Now);

        var decision = ChangeRegisteredPracticeDecider.Decide([closed], false, Move(personId), Now);

        Assert.Equal([closed.Id], decision.Events.Select(e => e.ReferralId));
        Assert.NotNull(decision.Message);
    }

    [Fact]
    public void Only_the_referrals_not_yet_at_the_practice_take_it()
    {
        var personId = Guid.NewGuid();
        var moved = Referral(personId);
        var already = moved with { Id = Guid.NewGuid(), RegisteredPracticeOds = "B82005" };

        var decision = ChangeRegisteredPracticeDecider.Decide([moved, already], false, Move(personId), Now);

        Assert.Equal([moved.Id], decision.Events.Select(e => e.ReferralId));
        Assert.Equal("B82005", decision.Message!.RegisteredPracticeOds);
    }

    [Fact]
    public void An_unchanged_practice_decides_nothing_and_tells_nobody()
    {
        var personId = Guid.NewGuid();

        var decision = ChangeRegisteredPracticeDecider.Decide([Referral(personId)], false, Move(personId, "b86001"), Now);

        Assert.Empty(decision.Events);
        Assert.Null(decision.Message);
    }

    [Fact]
    public void An_erased_or_unknown_person_cannot_change_practice()
    {
        var personId = Guid.NewGuid();

        Assert.Throws<DomainRuleException>(() => ChangeRegisteredPracticeDecider.Decide([Referral(personId)], true, Move(personId), Now));
        Assert.Throws<DomainRuleException>(() => ChangeRegisteredPracticeDecider.Decide([], false, Move(personId), Now));
    }
}
