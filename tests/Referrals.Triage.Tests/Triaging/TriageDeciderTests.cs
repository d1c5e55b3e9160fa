using Referrals.Contracts;
using Referrals.Contracts.Intake;
using Referrals.Triage.Programmes;
using Referrals.Triage.Tests.Support;
using Referrals.Triage.Triaging;

namespace Referrals.Triage.Tests.Triaging;

public sealed class TriageDeciderTests
{
    private static TriageOutcome Decide(ReferralSubmitted s, Programme? programme) =>
        TriageDecider.Decide(new ReferralFacts(s.ProgrammeId, s.RegisteredPracticeOds, s.AgeAtReferral, s.PostcodeDistrict, s.HasLongTermCondition,
            s.IsCarer, s.Needs, s.Risk, s.Urgency), new ReferralText(s.ReasonText, s.WhatMatters, s.RiskNotes), programme);

    [Fact]
    public void An_adult_with_a_long_term_condition_is_eligible_for_the_wellbeing_practitioner_service()
    {
        var programme = ProgrammeBuilder.Build(Fixtures.AdultsWithLongTermCondition("hwp"));
        var outcome = Decide(Fixtures.Referral("hwp", "S70003", age: 52, longTermCondition: true), programme);
        Assert.True(outcome.Eligible);
        Assert.Contains(outcome.Reasons, r => r.Contains("Meets \"Aged over 18 with a long-term condition", StringComparison.Ordinal));
        Assert.Null(outcome.Signposting);
    }

    [Fact]
    public void Without_a_long_term_condition_the_referral_is_out_of_scope_with_the_reason_and_signposting()
    {
        var programme = ProgrammeBuilder.Build(Fixtures.AdultsWithLongTermCondition("hwp"));
        var outcome = Decide(Fixtures.Referral("hwp", "S70003", age: 52), programme);
        Assert.False(outcome.Eligible);
        Assert.Contains(outcome.Reasons, r => r.Contains("no long-term condition recorded", StringComparison.Ordinal));
        Assert.Contains("wellbeing hub", outcome.Signposting, StringComparison.Ordinal);
    }

    [Fact]
    public void A_seventeen_year_old_is_not_over_18()
    {
        var programme = ProgrammeBuilder.Build(Fixtures.AdultsWithLongTermCondition("hwp"));
        var outcome = Decide(Fixtures.Referral("hwp", "S70001", age: 17, longTermCondition: true), programme);
        Assert.False(outcome.Eligible);
        Assert.Contains(outcome.Reasons, r => r.Contains("aged 17, needs 18 or over", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(67, false, "G51", true)]
    [InlineData(44, true, "G52", true)]
    [InlineData(44, false, "G53", false)]
    [InlineData(72, false, "G12", false)]
    [InlineData(61, false, null, true)]
    public void Community_connectors_take_over_sixties_and_carers_living_in_their_postcodes(int age, bool carer, string? district, bool eligible)
    {
        var programme = ProgrammeBuilder.Build(Fixtures.OverSixtiesAndCarersInPostcodes("ccp"));
        var outcome = Decide(Fixtures.Referral("ccp", "G99999", age: age, carer: carer, postcodeDistrict: district), programme);
        Assert.Equal(eligible, outcome.Eligible);
    }

    [Fact]
    public void A_practice_outside_the_programme_is_out_of_scope()
    {
        var programme = ProgrammeBuilder.Build(Fixtures.ThreeWorkersFourPractices("sos"));
        var outcome = Decide(Fixtures.Referral("sos", "F99999"), programme);
        Assert.False(outcome.Eligible);
        Assert.Contains(outcome.Reasons, r => r.Contains("F99999 is not one of the programme's practices", StringComparison.Ordinal));
        Assert.NotNull(outcome.Signposting);
    }

    [Fact]
    public void An_unconfigured_programme_is_never_a_silent_drop()
    {
        var outcome = Decide(Fixtures.Referral("nowhere", "B86001"), null);
        Assert.False(outcome.Eligible);
        Assert.Equal(0, outcome.ConfigurationVersion);
        Assert.NotNull(outcome.Signposting);
        Assert.Contains(outcome.Reasons, r => r.Contains("not configured", StringComparison.Ordinal));
    }

    [Fact]
    public void A_single_simple_need_is_routine_link_worker_work()
    {
        var outcome = Decide(Fixtures.Referral("sos", "F11001"), ProgrammeBuilder.Build(Fixtures.ThreeWorkersFourPractices("sos")));
        Assert.Equal(Tier.LinkWorker, outcome.RequiredTier);
        Assert.Equal(Priority.Routine, outcome.Priority);
        Assert.False(outcome.Escalated);
        Assert.Equal(1, outcome.ComplexityScore);
        Assert.Equal(["Need: loneliness or isolation (+1)"], outcome.ContributingFactors);
    }

    [Fact]
    public void Physical_mental_and_social_care_needs_together_need_a_coach_and_core_needs_come_first()
    {
        var outcome = Decide(Fixtures.Referral("sos", "F11001", longTermCondition: true,
            needs: [NeedCategory.MentalWellbeing, NeedCategory.Housing]), ProgrammeBuilder.Build(Fixtures.ThreeWorkersFourPractices("sos")));
        // 2 (mental wellbeing) + 2 (housing) + 1 (long-term condition) + 3 (span) = 8
        Assert.Equal(8, outcome.ComplexityScore);
        Assert.Contains("Needs span physical health, mental health and social care together (+3)", outcome.ContributingFactors);
        Assert.Equal(Tier.LinkWorkerCoach, outcome.RequiredTier);
        Assert.Equal(Priority.High, outcome.Priority);
        Assert.Contains(outcome.Reasons, r => r.StartsWith("Priority: high, core needs come first", StringComparison.Ordinal));
    }

    [Fact]
    public void Free_text_suggesting_vulnerability_calls_for_a_psychosocial_link_worker()
    {
        var outcome = Decide(Fixtures.Referral("sos", "F11002", reason: "Sofa surfing since the relationship ended, no family nearby."),
            ProgrammeBuilder.Build(Fixtures.ThreeWorkersFourPractices("sos")));
        Assert.Equal(Tier.PsychosocialLinkWorker, outcome.RequiredTier);
        Assert.Contains(outcome.ContributingFactors, f => f.StartsWith("Free text suggests: Chaotic circumstances or homelessness", StringComparison.Ordinal));
        Assert.Contains(outcome.ContributingFactors, f => f.StartsWith("Free text suggests: No family or support network", StringComparison.Ordinal));
        Assert.False(outcome.Escalated);
    }

    [Fact]
    public void Risk_escalates_at_urgent_priority_to_a_psychosocial_link_worker_with_every_indicator_explained()
    {
        var outcome = Decide(Fixtures.Referral("sos", "F11003", risk: new RiskAnswers(false, false, true, false),
            riskNotes: "Neighbour worried he has been stockpiling tablets."), ProgrammeBuilder.Build(Fixtures.ThreeWorkersFourPractices("sos"), 12));
        Assert.True(outcome.Escalated);
        Assert.Equal(Priority.Urgent, outcome.Priority);
        Assert.Equal(Tier.PsychosocialLinkWorker, outcome.RequiredTier);
        Assert.Equal(12, outcome.ConfigurationVersion);
        Assert.Contains(outcome.Indicators, i => i is { Category: IndicatorCategory.Safeguarding, Source: IndicatorSource.RiskAnswers });
        Assert.Contains(outcome.Indicators, i => i is { Category: IndicatorCategory.HarmToSelf, Source: IndicatorSource.RiskNotes });
        Assert.Contains(outcome.Reasons, r => r.StartsWith("Escalated at once", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(true, false, false, IndicatorCategory.HarmToSelf)]
    [InlineData(false, true, false, IndicatorCategory.HarmToOthers)]
    [InlineData(false, false, true, IndicatorCategory.Safeguarding)]
    public void Each_structured_risk_answer_on_its_own_escalates(bool harmToSelf, bool harmToOthers, bool safeguarding, IndicatorCategory category)
    {
        var outcome = Decide(Fixtures.Referral("sos", "F11003", risk: new RiskAnswers(harmToSelf, harmToOthers, safeguarding, false)),
            ProgrammeBuilder.Build(Fixtures.ThreeWorkersFourPractices("sos")));
        Assert.True(outcome.Escalated);
        Assert.Equal(Priority.Urgent, outcome.Priority);
        Assert.Contains(outcome.Indicators, i => i.Category == category && i.Source == IndicatorSource.RiskAnswers);
    }

    [Fact]
    public void A_self_referral_indicating_risk_escalates()
    {
        var referral = Fixtures.Referral("sos", "F11003", reason: "I feel like I can't go on.");
        referral = referral with { Referrer = referral.Referrer with { Kind = ReferrerKind.Self } };
        var outcome = Decide(referral, ProgrammeBuilder.Build(Fixtures.ThreeWorkersFourPractices("sos")));
        Assert.True(outcome.Escalated);
        Assert.Contains(outcome.Indicators, i => i.Category == IndicatorCategory.HarmToSelf);
    }

    [Fact]
    public void An_ineligible_referral_that_shows_risk_still_escalates()
    {
        var outcome = Decide(Fixtures.Referral("hwp", "S70001", age: 30, reason: "Says he wants to end it all."),
            ProgrammeBuilder.Build(Fixtures.AdultsWithLongTermCondition("hwp")));
        Assert.False(outcome.Eligible);
        Assert.True(outcome.Escalated);
    }

    [Fact]
    public void A_referral_whose_free_text_was_erased_is_triaged_on_its_structured_answers()
    {
        var outcome = Decide(Fixtures.Referral("sos", "F11001", reason: null, whatMatters: null, riskNotes: null,
            needs: [NeedCategory.DebtOrBenefits]), ProgrammeBuilder.Build(Fixtures.ThreeWorkersFourPractices("sos")));
        Assert.True(outcome.Eligible);
        Assert.Equal(Priority.High, outcome.Priority);
    }

    [Fact]
    public void The_referrer_asking_for_urgency_makes_it_urgent()
    {
        var outcome = Decide(Fixtures.Referral("sos", "F11001", urgency: Urgency.Urgent), ProgrammeBuilder.Build(Fixtures.ThreeWorkersFourPractices("sos")));
        Assert.Equal(Priority.Urgent, outcome.Priority);
    }
}
