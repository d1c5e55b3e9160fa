using Referrals.Contracts;
using Referrals.Intake.People;
using Referrals.Intake.RectifyingDetails;
using Referrals.Intake.Tracking;
using Referrals.Intake.Withdrawing;
using Referrals.ServiceDefaults.Problems;
using static Referrals.Intake.Tests.DataProtectionData;
using ReferralStatus = Referrals.Intake.Referrals.ReferralStatus;

namespace Referrals.Intake.Tests.RectifyingDetails;

public sealed class RectifyDetailsDeciderTests
{
    [Fact]
    public void Every_referral_of_the_person_takes_the_corrected_details_and_the_services_are_told_once()
    {
        var personId = Guid.NewGuid();
        var referrals = new[] { Referral(personId), Referral(personId, at: Now.AddDays(-30)) };
        var corrected = Details(given: "Augusta");

        var decision = RectifyDetailsDecider.Decide(referrals, false, new RectifyDetails(personId, corrected, "dpo-1"), Now);

        Assert.Equal(referrals.Select(r => r.Id).Order(), decision.Events.Select(e => e.ReferralId).Order());
        Assert.All(decision.Events, e => Assert.Equal(corrected, e.Person));
        Assert.Equal(corrected, decision.Message!.Person);
        Assert.Equal(("dpo-1", personId), (decision.Message.RectifiedBy, decision.Message.PersonId));
        Assert.All(referrals, r => Assert.Equal("Augusta", decision.Events.Aggregate(r, (x, e) => x.Then(e)).Person!.GivenName));
    }

    [Fact]
    public void Left_out_the_nhs_number_is_kept()
    {
        var personId = Guid.NewGuid();

        var decision = RectifyDetailsDecider.Decide([Referral(personId)], false,
            new RectifyDetails(personId, Details(given: "Augusta", nhs: null), "dpo-1"), Now);

        Assert.Equal("9434765919", decision.Message!.Person!.NhsNumber);
    }

    [Fact]
    public void The_nhs_number_cannot_be_changed_by_rectification()
    {
        var personId = Guid.NewGuid();

        var ex = Assert.Throws<RequestValidationException>(() => RectifyDetailsDecider.Decide([Referral(personId)], false,
            new RectifyDetails(personId, Details(nhs: "4010232137"), "dpo-1"), Now));
        Assert.Contains("person.nhsNumber", ex.Errors.Keys);
    }

    [Fact]
    public void Details_already_as_corrected_decide_nothing()
    {
        var personId = Guid.NewGuid();

        var decision = RectifyDetailsDecider.Decide([Referral(personId)], false, new RectifyDetails(personId, Details(), "dpo-1"), Now);

        Assert.Empty(decision.Events);
        Assert.Null(decision.Message);
    }

    [Fact]
    public void An_erased_or_unknown_person_cannot_be_rectified()
    {
        var personId = Guid.NewGuid();

        Assert.Throws<DomainRuleException>(() => RectifyDetailsDecider.Decide([Referral(personId)], true, new RectifyDetails(personId, Details(), "dpo-1"), Now));
        Assert.Throws<DomainRuleException>(() => RectifyDetailsDecider.Decide([], false, new RectifyDetails(personId, Details(), "dpo-1"), Now));
    }

    /// <summary>A referral made without an NHS number, so never indexed (a self-referral's).</summary>
    private static Referrals.Referral Unindexed(Guid personId, string programme = "north-leeds", DateTimeOffset? at = null) =>
        Referral(personId, Details(nhs: null), at) with { PersonIndexId = null, ProgrammeId = programme };

    [Fact]
    public void An_nhs_number_added_where_none_was_held_indexes_the_person_with_each_journey_they_have_open()
    {
        var personId = Guid.NewGuid();
        var open = Unindexed(personId);
        var ended = With(Unindexed(personId, "east-bradford", Now.AddDays(-60)), ProgressPhase.Triage, ReferralStatus.NotEligible, Now.AddDays(-50));
        var indexId = Guid.NewGuid();

        var decision = RectifyDetailsDecider.Decide([open, ended], false, new RectifyDetails(personId, Details(), "dpo-1"), Now,
            new IndexEntryRead(indexId, null));

        Assert.Equal(
            [new PersonIndexed(indexId, personId, Now), new JourneyStarted(indexId, personId, "north-leeds", open.JourneyId, open.Id, null, Now)],
            decision.PersonIndexEvents);
        Assert.Equal([ended.Id, open.Id], decision.ReferralsIndexed.Select(e => e.ReferralId));
        Assert.All(decision.ReferralsIndexed, e => Assert.Equal(indexId, e.PersonIndexId));
        Assert.Equal("9434765919", decision.Message!.Person!.NhsNumber);
    }

    [Fact]
    public void An_nhs_number_added_that_is_indexed_to_another_person_is_refused_naming_nobody()
    {
        var personId = Guid.NewGuid();
        var indexId = Guid.NewGuid();
        var held = PersonIndexEntry.Create(new PersonIndexed(indexId, Guid.NewGuid(), Now.AddDays(-9)));

        var ex = Assert.Throws<DomainRuleException>(() => RectifyDetailsDecider.Decide([Unindexed(personId)], false,
            new RectifyDetails(personId, Details(), "dpo-1"), Now, new IndexEntryRead(indexId, held)));
        Assert.Equal(PersonIndexDecider.HeldForAnotherPerson, ex.Message);
    }

    [Fact]
    public void An_nhs_number_added_whose_entry_was_left_by_an_erased_person_is_indexed_to_this_one()
    {
        var personId = Guid.NewGuid();
        var indexId = Guid.NewGuid();
        var forgotten = PersonIndexEntry.Create(new PersonIndexed(indexId, Guid.NewGuid(), Now.AddDays(-400)))
            .Apply(new PersonIndexErased(indexId, Guid.NewGuid(), Now.AddDays(-9)));

        var decision = RectifyDetailsDecider.Decide([Unindexed(personId)], false, new RectifyDetails(personId, Details(), "dpo-1"), Now,
            new IndexEntryRead(indexId, forgotten));

        Assert.Equal(new PersonIndexed(indexId, personId, Now), decision.PersonIndexEvents[0]);
    }

    [Fact]
    public void A_journey_withdrawn_before_the_person_started_or_joined_from_another_referral_is_not_recorded_as_open()
    {
        var personId = Guid.NewGuid();
        var withdrawn = Unindexed(personId).Then(new ReferralWithdrawnByReferrer(Guid.Empty, personId, "Moved away", "dpo-1", Now));
        var joined = Unindexed(personId, "east-bradford") with { LinkedToOpenJourney = true };
        var indexId = Guid.NewGuid();

        var decision = RectifyDetailsDecider.Decide([withdrawn, joined], false, new RectifyDetails(personId, Details(), "dpo-1"), Now,
            new IndexEntryRead(indexId, null));

        Assert.Equal([new PersonIndexed(indexId, personId, Now)], decision.PersonIndexEvents);
    }

    [Fact]
    public void Details_corrected_for_a_person_whose_nhs_number_is_held_index_nothing()
    {
        var personId = Guid.NewGuid();

        var decision = RectifyDetailsDecider.Decide([Referral(personId)], false, new RectifyDetails(personId, Details(given: "Augusta"), "dpo-1"), Now);

        Assert.Empty(decision.PersonIndexEvents);
        Assert.Empty(decision.ReferralsIndexed);
    }
}
