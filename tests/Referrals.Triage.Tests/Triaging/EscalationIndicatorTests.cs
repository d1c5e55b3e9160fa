using Referrals.Triage.Programmes;
using Referrals.Triage.Tests.Support;
using Referrals.Triage.Triaging;

namespace Referrals.Triage.Tests.Triaging;

/// <summary>
/// The default escalation lists against what referrers actually write: plain statements, misspellings, words run
/// together or split, and indirect phrasing. A miss is the hazard; a false alarm is acceptable.
/// </summary>
public sealed class EscalationIndicatorTests
{
    private static IReadOnlyList<IndicatorHit> Scan(string text) =>
        TriageDecider.FindEscalationIndicators(Fixtures.NoRisk, new ReferralText(text, null, null), DefaultTriageRules.Rules);

    [Theory]
    [InlineData("She has been having suicidal thoughts since her husband died.")]
    [InlineData("Reports sucidal thoughts most nights.")]
    [InlineData("he is suicdal and very low")]
    [InlineData("Mentioned sucide twice during the consultation.")]
    [InlineData("Has talked about sucidial feelings.")]
    [InlineData("He said he wants to kill himself.")]
    [InlineData("said he might kil him self")]
    [InlineData("Says she wants to end it all.")]
    [InlineData("feels like ending it all")]
    [InlineData("Told the nurse she just wants to die.")]
    [InlineData("He said his family would be better off without him.")]
    [InlineData("Says everyone would be better off if she was gone - better off dead.")]
    [InlineData("She doesn't want to be here anymore.")]
    [InlineData("doesnt want to be here any more")]
    [InlineData("Does not want to wake up in the morning.")]
    [InlineData("Life is not worth living since the diagnosis.")]
    [InlineData("says there is no point living like this")]
    [InlineData("He can't go on like this.")]
    [InlineData("I cannot carry on.")]
    [InlineData("Has been giving away his possessions to neighbours.")]
    [InlineData("Wrote goodbye letters to her children last week.")]
    [InlineData("She has been thinking about taking her own life.")]
    [InlineData("Talked about jumping off the bridge near the flats.")]
    public void Thoughts_of_suicide_escalate_however_they_are_written(string text)
    {
        var hits = Scan(text);
        Assert.Contains(hits, h => h.Category == IndicatorCategory.HarmToSelf);
    }

    [Theory]
    [InlineData("History of self harm, recently cutting again.")]
    [InlineData("selfharming when stressed")]
    [InlineData("self-harrm in the past month")]
    [InlineData("He has been hurting himself.")]
    [InlineData("she burns herself with cigarettes")]
    [InlineData("took an overdose in March")]
    [InlineData("Attended A&E after an overdoze.")]
    [InlineData("Daughter found she has been stockpiling her tablets.")]
    [InlineData("He has been saving up his pills.")]
    public void Self_harm_and_overdose_escalate_however_they_are_written(string text)
    {
        Assert.Contains(Scan(text), h => h.Category == IndicatorCategory.HarmToSelf);
    }

    [Theory]
    [InlineData("He has threatened to kill his neighbour.")]
    [InlineData("Threatening to stab someone at the hostel.")]
    [InlineData("Carries a knife when he goes out.")]
    [InlineData("Has been violent towards his partner.")]
    [InlineData("Said he wants to hurt people who wronged him.")]
    public void Risk_to_others_escalates(string text)
    {
        Assert.Contains(Scan(text), h => h.Category == IndicatorCategory.HarmToOthers);
    }

    [Theory]
    [InlineData("Possible safegaurding issue with her son.")]
    [InlineData("She is being abused by her partner.")]
    [InlineData("financial abuse suspected")]
    [InlineData("Her grandson is taking her pension every week.")]
    [InlineData("He keeps hitting her when he drinks.")]
    [InlineData("She is frightened of her husband.")]
    [InlineData("Self-neglect: house in poor state, not eating for days.")]
    [InlineData("Says she feels unsafe at home.")]
    [InlineData("Concerned about coercive control in the relationship.")]
    [InlineData("Possibly being cuckooed by local dealers.")]
    public void Safeguarding_concerns_escalate(string text)
    {
        Assert.Contains(Scan(text), h => h.Category == IndicatorCategory.Safeguarding);
    }

    [Theory]
    [InlineData("Seems to be in crisis after the eviction notice.")]
    [InlineData("Known to the crisis team.")]
    [InlineData("Hearing voices telling him to leave the house.")]
    [InlineData("Says she cannot cope any more.")]
    [InlineData("At breaking point with caring for her mum.")]
    [InlineData("Police were called to the house on Saturday.")]
    public void Crisis_escalates(string text)
    {
        Assert.Contains(Scan(text), h => h.Category == IndicatorCategory.Crisis);
    }

    [Fact]
    public void A_mention_that_denies_risk_still_escalates_for_a_person_to_review()
    {
        Assert.NotEmpty(Scan("Denies suicidal thoughts at present."));
    }

    [Theory]
    [InlineData("Feeling isolated since retiring and would like to get out more.")]
    [InlineData("Needs help with benefits forms and a referral to the food bank.")]
    [InlineData("Would like support to join a walking group; type 2 diabetes.")]
    [InlineData("Struggling with debt after losing hours at work; overdue council tax bill.")]
    [InlineData("Recently bereaved, would like to meet others who have lost a partner.")]
    [InlineData("Wants help finding a volunteering role and getting back to work.")]
    [InlineData("Has chronic back pain and finds it hard to get to the shops.")]
    public void Routine_referrals_do_not_escalate(string text)
    {
        Assert.Empty(Scan(text));
    }

    [Fact]
    public void Structured_risk_answers_escalate_without_any_free_text()
    {
        var hits = TriageDecider.FindEscalationIndicators(new Contracts.RiskAnswers(true, false, true, false), new ReferralText(null, null, null),
            DefaultTriageRules.Rules);
        Assert.Equal([IndicatorCategory.HarmToSelf, IndicatorCategory.Safeguarding], hits.Select(h => h.Category).ToArray());
        Assert.All(hits, h => Assert.Equal(IndicatorSource.RiskAnswers, h.Source));
    }

    [Fact]
    public void Each_free_text_field_is_read_and_named_as_the_source()
    {
        var hits = TriageDecider.FindEscalationIndicators(Fixtures.NoRisk,
            new ReferralText("Lonely.", "To stop feeling like a burden; he said he wants to die.", "overdose last year"), DefaultTriageRules.Rules);
        Assert.Contains(hits, h => h.Source == IndicatorSource.WhatMatters);
        Assert.Contains(hits, h => h.Source == IndicatorSource.RiskNotes);
        Assert.DoesNotContain(hits, h => h.Source == IndicatorSource.ReasonForReferral);
    }

    [Fact]
    public void The_lists_are_configuration_a_programme_can_extend()
    {
        var rules = DefaultTriageRules.Rules with
        {
            EscalationIndicators = [new EscalationIndicator("Local: bridge", IndicatorCategory.HarmToSelf, ["north bridge"])],
        };
        var hits = TriageDecider.FindEscalationIndicators(Fixtures.NoRisk, new ReferralText("Keeps going to the North Bridge at night.", null, null), rules);
        Assert.Equal("Local: bridge", Assert.Single(hits).Indicator);
    }
}
