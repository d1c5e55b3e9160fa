using Referrals.Intake.RectifyingDetails;
using Referrals.ServiceDefaults.Problems;
using static Referrals.Intake.Tests.DataProtectionData;

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
}
