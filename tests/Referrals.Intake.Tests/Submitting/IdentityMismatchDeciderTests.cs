using System.Text.Json.Nodes;
using Referrals.Intake.People;
using Referrals.Intake.Submitting;
using Referrals.ServiceDefaults.Problems;
using Referrals.Testing;
using static Referrals.Intake.Tests.Submitting.ValidatedReferrals;

namespace Referrals.Intake.Tests.Submitting;

/// <summary>A referral whose details differ from those held for its NHS number is not linked silently (HAZ-003 C3), without infrastructure.</summary>
public sealed class IdentityMismatchDeciderTests
{
    private static readonly Guid IndexId = Guid.NewGuid();
    private static readonly Guid HeldPersonId = Guid.NewGuid();

    /// <summary>The person held for the NHS number, with an open journey in the programme.</summary>
    private static readonly PersonIndexEntry Held = PersonIndexEntry.Create(new PersonIndexed(IndexId, HeldPersonId, Clock.UtcNow.AddDays(-30)))
        .Apply(new JourneyStarted(IndexId, HeldPersonId, TestData.Programme, Guid.NewGuid(), Guid.NewGuid(), null, Clock.UtcNow.AddDays(-30)));

    private static SubmissionDecision Decide(SubmitReferral command, bool confirmed = false, bool nothingHeld = false) =>
        SubmitReferralDecider.Decide(Held, IndexId, command, new SubmissionIds(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()), Clock.UtcNow,
            nothingHeld ? null : Command(Referral()).Person, confirmed);

    [Fact]
    public void The_same_family_name_written_differently_and_the_same_date_of_birth_are_the_same_person()
    {
        var held = Command(Referral()).Person;

        Assert.Empty(IdentityCheck.Differences(held, held with { FamilyName = "  obrien " }));
        Assert.Empty(IdentityCheck.Differences(held, held with { FamilyName = "O Brien", GivenName = "Eva" }));
        Assert.Equal([IdentityCheck.DateOfBirth], IdentityCheck.Differences(held, held with { DateOfBirth = new DateOnly(1958, 3, 15) }));
        Assert.Equal([IdentityCheck.DateOfBirth, IdentityCheck.FamilyName],
            IdentityCheck.Differences(held, held with { DateOfBirth = new DateOnly(1985, 3, 14), FamilyName = "Byrne" }));
    }

    [Fact]
    public void A_referrer_s_referral_whose_details_differ_is_refused_for_them_to_check_naming_neither_set_of_details()
    {
        var refused = Assert.Throws<DomainRuleException>(() => Decide(Command(Referral().With("person.dateOfBirth", "1985-03-14"))));

        Assert.Contains(IdentityCheck.ConfirmationHeader, refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("1985", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("1958", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Confirmed_by_the_referrer_it_joins_the_person_held_and_the_difference_is_recorded()
    {
        var decision = Decide(Command(Referral().With("person.familyName", "Byrne")), confirmed: true);

        Assert.Equal((HeldPersonId, (Guid?)IndexId, true), (decision.Received.PersonId, decision.Received.PersonIndexId, decision.Received.LinkedToOpenJourney));
        Assert.Equal([IdentityCheck.FamilyName], decision.Received.IdentityMismatch!.Fields);
        Assert.True(decision.Received.IdentityMismatch.Linked);
    }

    [Fact]
    public void A_self_referral_or_a_referral_that_may_indicate_risk_whose_details_differ_goes_ahead_as_a_person_of_its_own()
    {
        var differing = Referral().With("person.dateOfBirth", "1985-03-14");
        var selfReferral = Decide(Command(differing) with { Channel = ReferralChannel.SelfReferral });
        var atRisk = Decide(Command(differing.Copy().With("risk.riskOfHarmToSelf", true)));
        var soon = Decide(Command(differing.Copy().With("urgency", "Soon")));
        var notes = Decide(Command(differing.Copy().With("risk.notes", "Said she sees no point going on.")));

        foreach (var decision in new[] { selfReferral, atRisk, soon, notes })
        {
            Assert.NotEqual(HeldPersonId, decision.Received.PersonId);
            Assert.Null(decision.Received.PersonIndexId);
            Assert.False(decision.Received.LinkedToOpenJourney);
            Assert.Empty(decision.PersonIndexEvents);
            Assert.False(decision.Received.IdentityMismatch!.Linked);
        }
    }

    [Fact]
    public void With_no_details_held_for_the_person_indexed_a_referral_is_a_person_of_its_own_even_when_confirmed()
    {
        // The person's erasure is under way: their key is gone, the index not yet told.
        var decision = Decide(Command(Referral()), confirmed: true, nothingHeld: true);

        Assert.NotEqual(HeldPersonId, decision.Received.PersonId);
        Assert.Null(decision.Received.PersonIndexId);
        Assert.Equal(new[] { IdentityCheck.NothingHeld }, decision.Received.IdentityMismatch!.Fields);
        Assert.False(decision.Received.IdentityMismatch.Linked);
    }

    [Fact]
    public void Matching_details_join_the_person_held_and_record_nothing()
    {
        var decision = Decide(Command(Referral().With("person.familyName", "OBRIEN")));

        Assert.Equal(HeldPersonId, decision.Received.PersonId);
        Assert.Null(decision.Received.IdentityMismatch);
    }
}
