using System.Text.Json.Nodes;
using Referrals.Intake.Http;
using Referrals.Intake.People;
using Referrals.Intake.Programmes;
using Referrals.Intake.Submitting;
using Referrals.ServiceDefaults.Problems;
using Referrals.Testing;

namespace Referrals.Intake.Tests.Submitting;

/// <summary>A referral whose details differ from those held for its NHS number is not linked silently (HAZ-003 C3), without infrastructure.</summary>
public sealed class IdentityMismatchDeciderTests
{
    private static readonly TestClock Clock = new(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));
    private static readonly ReferralValidator Validator = new(ProgrammeCatalogue.Create(new Dictionary<string, ProgrammeSettings>
    {
        [TestData.Programme] = new() { Practices = [TestData.Practice, TestData.OtherPractice] },
    }), Clock);

    private static readonly Guid IndexId = Guid.NewGuid();
    private static readonly Guid HeldPersonId = Guid.NewGuid();

    /// <summary>The person held for the NHS number, with an open journey in the programme.</summary>
    private static readonly PersonIndexEntry Held = PersonIndexEntry.Create(new PersonIndexed(IndexId, HeldPersonId, Clock.UtcNow.AddDays(-30)))
        .Apply(new JourneyStarted(IndexId, HeldPersonId, TestData.Programme, Guid.NewGuid(), Guid.NewGuid(), null, Clock.UtcNow.AddDays(-30)));

    private static SubmitReferral Command(JsonObject body) => Validator.Validate(
        JsonBody.Bind<ReferralRequest>(System.Text.Encoding.UTF8.GetBytes(body.ToJsonString())), ReferralChannel.Api, ValidationRules.Api);

    private static JsonObject Referral() => TestData.Referral(consentGivenAt: Clock.UtcNow.AddHours(-1));

    private static SubmissionDecision Decide(SubmitReferral command, bool confirmed = false) =>
        SubmitReferralDecider.Decide(Held, IndexId, command, new SubmissionIds(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()), Clock.UtcNow,
            Command(Referral()).Person, confirmed);

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
    public void A_self_referral_or_a_referral_indicating_risk_whose_details_differ_goes_ahead_as_a_person_of_its_own()
    {
        var selfReferral = Decide(Command(Referral().With("person.dateOfBirth", "1985-03-14")) with { Channel = ReferralChannel.SelfReferral });
        var atRisk = Decide(Command(Referral().With("person.dateOfBirth", "1985-03-14").With("risk.riskOfHarmToSelf", true)));
        var urgent = Decide(Command(Referral().With("person.dateOfBirth", "1985-03-14").With("urgency", "Urgent")));

        foreach (var decision in new[] { selfReferral, atRisk, urgent })
        {
            Assert.NotEqual(HeldPersonId, decision.Received.PersonId);
            Assert.Null(decision.Received.PersonIndexId);
            Assert.False(decision.Received.LinkedToOpenJourney);
            Assert.Empty(decision.PersonIndexEvents);
            Assert.False(decision.Received.IdentityMismatch!.Linked);
        }
    }

    [Fact]
    public void Matching_details_join_the_person_held_and_record_nothing()
    {
        var decision = Decide(Command(Referral().With("person.familyName", "OBRIEN")));

        Assert.Equal(HeldPersonId, decision.Received.PersonId);
        Assert.Null(decision.Received.IdentityMismatch);
    }
}
