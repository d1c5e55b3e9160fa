using System.Globalization;
using Referrals.Contracts;
using Referrals.Triage.Programmes;

namespace Referrals.Triage.Triaging;

/// <summary>The facts of a referral that triage decides on (structured; no identifying details).</summary>
public sealed record ReferralFacts(
    string ProgrammeId,
    string RegisteredPracticeOds,
    int AgeAtReferral,
    string? PostcodeDistrict,
    bool HasLongTermCondition,
    bool IsCarer,
    IReadOnlyList<NeedCategory> Needs,
    RiskAnswers Risk,
    Urgency Urgency)
{
    public static ReferralFacts From(ReferralReceived e) => new(e.ProgrammeId, e.RegisteredPracticeOds, e.AgeAtReferral,
        e.PostcodeDistrict, e.HasLongTermCondition, e.IsCarer, e.Needs, e.Risk, e.Urgency);
}

/// <summary>The referral's free text, read for indicators only. Any of it may be null (e.g. after the person was erased).</summary>
public sealed record ReferralText(string? ReasonText, string? WhatMatters, string? RiskNotes);

/// <summary>
/// Pure triage: eligibility against the programme's rules (with reasons and signposting), a complexity score from needs,
/// structured risk answers and free-text indicators (each factor listed), the tier required, the priority, and whether the
/// referral escalates. Every outcome names the configuration version it used.
/// </summary>
public static class TriageDecider
{
    /// <summary>Points a referral that escalates adds to the complexity score.</summary>
    public const int EscalationWeight = 5;

    public static TriageOutcome Decide(ReferralFacts facts, ReferralText text, Programme? programme)
    {
        var rules = programme?.TriageRules ?? DefaultTriageRules.Rules;
        var reasons = new List<string>();

        var (eligible, eligibilityReasons) = programme is null
            ? (false, (IReadOnlyList<string>)[$"Programme '{facts.ProgrammeId}' is not configured in triage, so nobody can take the referral."])
            : CheckEligibility(facts, programme.Eligibility);
        reasons.AddRange(eligibilityReasons);

        var indicators = FindEscalationIndicators(facts.Risk, text, rules);
        var escalated = indicators.Count > 0;

        var factors = new List<string>();
        var score = 0;
        var vulnerability = false;

        void Add(string factor, int weight)
        {
            score += weight;
            factors.Add(string.Create(CultureInfo.InvariantCulture, $"{factor} (+{weight})"));
        }

        foreach (var need in facts.Needs.Distinct())
        {
            var weight = rules.NeedWeights.FirstOrDefault(w => w.Need == need)?.Weight ?? 1;
            Add($"Need: {Describe(need)}", weight);
        }

        if (facts.Needs.Distinct().Count() >= 4)
        {
            Add("Several needs at once", 2);
        }

        if (facts.HasLongTermCondition)
        {
            Add("Long-term condition (as recorded by the GP)", 1);
        }

        if (facts.IsCarer)
        {
            Add("Is a carer", 1);
        }

        if (SpansHealthMentalAndSocialCare(facts))
        {
            Add("Needs span physical health, mental health and social care together", 3);
        }

        if (facts.Risk.RisksToVisitingWorker)
        {
            Add("Risks to a visiting worker (lone-working precautions)", 2);
        }

        var tokens = AllTokens(text);
        foreach (var indicator in rules.ComplexityIndicators)
        {
            var phrase = indicator.Phrases.FirstOrDefault(p => tokens.Any(t => PhraseMatcher.Contains(t, p)));
            if (phrase is not null)
            {
                Add($"Free text suggests: {indicator.Name} (\"{phrase}\")", indicator.Weight);
                vulnerability |= indicator.Vulnerability;
            }
        }

        if (escalated)
        {
            Add("Risk indicators: " + string.Join("; ", indicators.Select(i => i.Indicator).Distinct()), EscalationWeight);
        }

        var tier = RequiredTier(score, escalated, vulnerability, rules, out var tierReason);
        reasons.Add(tierReason);
        var priority = PriorityOf(facts, score, escalated, rules, out var priorityReason);
        reasons.Add(priorityReason);
        if (escalated)
        {
            reasons.Add("Escalated at once to whoever is on duty: " + string.Join("; ", indicators.Select(i => i.Explain())));
        }

        return new TriageOutcome(eligible, reasons, eligible ? null : programme?.Eligibility.Signposting ?? EligibilityRules.Open.Signposting,
            score, factors, tier, priority, escalated, indicators, (int)(programme?.Version ?? 0));
    }

    /// <summary>Structured risk answers and free-text phrases that escalate.</summary>
    public static IReadOnlyList<IndicatorHit> FindEscalationIndicators(RiskAnswers risk, ReferralText text, TriageRules rules)
    {
        var hits = new List<IndicatorHit>();
        if (risk.RiskOfHarmToSelf)
        {
            hits.Add(new IndicatorHit("Risk of harm to self", IndicatorCategory.HarmToSelf, IndicatorSource.RiskAnswers, null));
        }

        if (risk.RiskOfHarmToOthers)
        {
            hits.Add(new IndicatorHit("Risk of harm to others", IndicatorCategory.HarmToOthers, IndicatorSource.RiskAnswers, null));
        }

        if (risk.SafeguardingConcern)
        {
            hits.Add(new IndicatorHit("Safeguarding concern", IndicatorCategory.Safeguarding, IndicatorSource.RiskAnswers, null));
        }

        foreach (var (source, value) in new[]
                 {
                     (IndicatorSource.RiskNotes, text.RiskNotes),
                     (IndicatorSource.ReasonForReferral, text.ReasonText),
                     (IndicatorSource.WhatMatters, text.WhatMatters),
                 })
        {
            var tokens = PhraseMatcher.Tokenize(value);
            if (tokens.Count == 0)
            {
                continue;
            }

            foreach (var indicator in rules.EscalationIndicators)
            {
                var phrase = indicator.Phrases.FirstOrDefault(p => PhraseMatcher.Contains(tokens, p));
                if (phrase is not null)
                {
                    hits.Add(new IndicatorHit(indicator.Name, indicator.Category, source, phrase));
                }
            }
        }

        return hits;
    }

    private static (bool Eligible, IReadOnlyList<string> Reasons) CheckEligibility(ReferralFacts facts, EligibilityRules rules)
    {
        var reasons = new List<string>();
        var eligible = true;
        if (rules.Practices.Count > 0)
        {
            if (rules.Practices.Contains(facts.RegisteredPracticeOds, StringComparer.OrdinalIgnoreCase))
            {
                reasons.Add($"Registered practice {facts.RegisteredPracticeOds} is served by the programme.");
            }
            else
            {
                eligible = false;
                reasons.Add($"Registered practice {facts.RegisteredPracticeOds} is not one of the programme's practices.");
            }
        }

        if (rules.PostcodeDistricts.Count > 0)
        {
            if (facts.PostcodeDistrict is null)
            {
                // Light criteria (seed 004): a missing postcode does not exclude anyone; the worker confirms it.
                reasons.Add("No postcode was given, so the catchment could not be checked; the link worker confirms it.");
            }
            else if (rules.PostcodeDistricts.Contains(facts.PostcodeDistrict, StringComparer.OrdinalIgnoreCase))
            {
                reasons.Add($"Postcode district {facts.PostcodeDistrict} is in the catchment.");
            }
            else
            {
                eligible = false;
                reasons.Add($"Postcode district {facts.PostcodeDistrict} is outside the catchment ({string.Join(", ", rules.PostcodeDistricts)}).");
            }
        }

        if (rules.Criteria.Count > 0)
        {
            var met = rules.Criteria.FirstOrDefault(c => Meets(facts, c));
            if (met is not null)
            {
                reasons.Add($"Meets \"{met.Name}\".");
            }
            else
            {
                eligible = false;
                reasons.Add("Meets none of the programme's criteria: " +
                            string.Join("; ", rules.Criteria.Select(c => $"\"{c.Name}\" ({WhyNot(facts, c)})")) + ".");
            }
        }

        if (eligible && reasons.Count == 0)
        {
            reasons.Add("The programme sets no restrictions.");
        }

        return (eligible, reasons);
    }

    private static bool Meets(ReferralFacts facts, EligibilityCriterion c) =>
        (c.MinimumAge is null || facts.AgeAtReferral >= c.MinimumAge)
        && (c.MaximumAge is null || facts.AgeAtReferral <= c.MaximumAge)
        && (!c.RequiresLongTermCondition || facts.HasLongTermCondition)
        && (!c.RequiresCarer || facts.IsCarer);

    private static string WhyNot(ReferralFacts facts, EligibilityCriterion c)
    {
        var missing = new List<string>();
        if (c.MinimumAge is { } min && facts.AgeAtReferral < min)
        {
            missing.Add(string.Create(CultureInfo.InvariantCulture, $"aged {facts.AgeAtReferral}, needs {min} or over"));
        }

        if (c.MaximumAge is { } max && facts.AgeAtReferral > max)
        {
            missing.Add(string.Create(CultureInfo.InvariantCulture, $"aged {facts.AgeAtReferral}, needs {max} or under"));
        }

        if (c.RequiresLongTermCondition && !facts.HasLongTermCondition)
        {
            missing.Add("no long-term condition recorded");
        }

        if (c.RequiresCarer && !facts.IsCarer)
        {
            missing.Add("not a carer");
        }

        return string.Join(", ", missing);
    }

    /// <summary>Requirements TR-02: physical, mental-health and social-care needs together.</summary>
    private static bool SpansHealthMentalAndSocialCare(ReferralFacts facts)
    {
        var physical = facts.HasLongTermCondition || facts.Needs.Contains(NeedCategory.LongTermCondition);
        var mental = facts.Needs.Contains(NeedCategory.MentalWellbeing) || facts.Needs.Contains(NeedCategory.SubstanceUse);
        var social = facts.Needs.Any(n => n is NeedCategory.Housing or NeedCategory.DebtOrBenefits or NeedCategory.FoodOrFuel or NeedCategory.CarerSupport);
        return physical && mental && social;
    }

    private static Tier RequiredTier(int score, bool escalated, bool vulnerability, TriageRules rules, out string reason)
    {
        if (escalated)
        {
            reason = "Tier: Psychosocial Link Worker, because of risk or safeguarding indicators.";
            return Tier.PsychosocialLinkWorker;
        }

        if (vulnerability)
        {
            reason = "Tier: Psychosocial Link Worker, because the free text suggests vulnerability or counter-productive behaviours.";
            return Tier.PsychosocialLinkWorker;
        }

        if (score >= rules.PsychosocialFromScore)
        {
            reason = string.Create(CultureInfo.InvariantCulture,
                $"Tier: Psychosocial Link Worker, complexity {score} is at least {rules.PsychosocialFromScore}.");
            return Tier.PsychosocialLinkWorker;
        }

        if (score >= rules.CoachFromScore)
        {
            reason = string.Create(CultureInfo.InvariantCulture,
                $"Tier: Link Worker Coach, complexity {score} is at least {rules.CoachFromScore}.");
            return Tier.LinkWorkerCoach;
        }

        reason = string.Create(CultureInfo.InvariantCulture, $"Tier: Link Worker, complexity {score} is below {rules.CoachFromScore}.");
        return Tier.LinkWorker;
    }

    private static Priority PriorityOf(ReferralFacts facts, int score, bool escalated, TriageRules rules, out string reason)
    {
        if (escalated)
        {
            reason = "Priority: urgent, because the referral escalated.";
            return Priority.Urgent;
        }

        if (facts.Urgency == Urgency.Urgent)
        {
            reason = "Priority: urgent, as the referrer asked.";
            return Priority.Urgent;
        }

        var core = facts.Needs.Where(rules.CoreNeeds.Contains).Distinct().ToList();
        if (core.Count > 0)
        {
            reason = "Priority: high, core needs come first (" + string.Join(", ", core.Select(Describe)) + ").";
            return Priority.High;
        }

        if (facts.Urgency == Urgency.Soon)
        {
            reason = "Priority: high, the referrer asked for soon.";
            return Priority.High;
        }

        if (score >= rules.HighPriorityFromScore)
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"Priority: high, complexity {score} is at least {rules.HighPriorityFromScore}.");
            return Priority.High;
        }

        reason = "Priority: routine.";
        return Priority.Routine;
    }

    private static IReadOnlyList<TokenizedText> AllTokens(ReferralText text) =>
        new[] { text.ReasonText, text.WhatMatters, text.RiskNotes }.Select(PhraseMatcher.Tokenize).Where(t => t.Count > 0).ToList();

    public static string Describe(NeedCategory need) => need switch
    {
        NeedCategory.LonelinessOrIsolation => "loneliness or isolation",
        NeedCategory.MentalWellbeing => "mental wellbeing",
        NeedCategory.Housing => "housing",
        NeedCategory.DebtOrBenefits => "debt or benefits",
        NeedCategory.Employment => "employment",
        NeedCategory.PhysicalActivity => "physical activity",
        NeedCategory.CarerSupport => "carer support",
        NeedCategory.LongTermCondition => "living with a long-term condition",
        NeedCategory.FoodOrFuel => "food or fuel",
        NeedCategory.Bereavement => "bereavement",
        NeedCategory.SubstanceUse => "substance use",
        NeedCategory.PracticalSupport => "practical support",
        _ => "other",
    };
}
