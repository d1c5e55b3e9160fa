using Referrals.Contracts;

namespace Referrals.Triage.Programmes;

/// <summary>
/// The starting triage rules a new programme gets (programme-admin can replace every list). The escalation lists lean
/// towards false alarms: a missed escalation is the worst failure, a false alarm costs a duty worker a few minutes.
/// Mentions are not discounted for negation ("denies suicidal thoughts" still escalates for a person to review).
/// Alternatives are single words: write a two-word alternative joined up ("otherpeople"), which also matches it split.
/// </summary>
public static class DefaultTriageRules
{
    private const string Pronoun = "myself|himself|herself|themselves|themself|yourself|self";
    private const string Person = "someone|somebody|anyone|people|others|him|her|them|neighbour*|partner|wife|husband|son|daughter|child|children|kids|baby|mum|mother|dad|father|carer|staff";
    private const string End = "end|ends|ending|ended";
    private const string Relative = "partner|husband|wife|son|daughter|boyfriend|girlfriend|carer|family|grandson|granddaughter|brother|sister|him|her";

    public static IReadOnlyList<EscalationIndicator> EscalationIndicators { get; } =
    [
        new("Suicidal thoughts or intent", IndicatorCategory.HarmToSelf,
        [
            "suicid*",
            $"kill* {Pronoun}",
            $"{End}|take|taking|took my|his|her|their own life",
            $"{End}|finish|finished|finishing it all",
            $"{End} my|his|her|their life",
            $"{End} things",
            "not|isnt|never worth living",
            "worth living anymore",
            "no|nothing point|reason|purpose living|live|alive|on",
            "nothing to live for",
            "better off dead|gone",
            "better off without me|him|her|them",
            "want*|wanna|wish*|wishes die|dead",
            "ready to die",
            "not|dont|doesnt|didnt|never want* be here|alive",
            "not|dont|doesnt|never want* wake up",
            "never wake up",
            "cant|cannot|not go on",
            "cant|cannot|not carry on",
            "thought*|thinking|talk* about|of dying|death|ending",
            "plan* to die",
            "goodbye letter*|note*|message*",
            "giv* away possessions|belongings|things",
            "noose",
            "ligature*",
            "hang* myself|himself|herself|themselves|themself|self",
            "jump* off|from bridge|building|roof|cliff|balcony|carpark|multistorey",
            "in front of train|bus|lorry|traffic",
        ]),
        new("Self-harm or overdose", IndicatorCategory.HarmToSelf,
        [
            "self harm*",
            "self injur*",
            $"cut*|burn*|hurt*|harm*|injur*|starv* {Pronoun}",
            "overdos*",
            "took|taken|taking an|a od",
            "stockpil*|saving|saved|hoard*|collect*|storing tablets|pills|meds|medication|paracetamol",
            "tablets|pills|meds|medication stockpil*|saved|hoarded|stored",
            "harm*|risk|danger to self|herself|himself|themselves",
        ]),
        new("Risk of harm to others", IndicatorCategory.HarmToOthers,
        [
            $"kill*|murder*|strangl* {Person}",
            "stab*|shoot* someone|somebody|anyone|people|others|neighbour*|partner|wife|husband|son|daughter",
            "hurt*|harm*|attack* someone|somebody|anyone|people|others|otherpeople",
            "threat* kill*|stab*|hurt*|harm*|attack*|violen*|knife|weapon|gun",
            "carr* knife|weapon|blade",
            "violen* towards|to|against",
            "aggress* towards|to|against",
            "risk|danger|harm to others|otherpeople|children|child|staff|public",
            "homicid*",
        ]),
        new("Safeguarding concern", IndicatorCategory.Safeguarding,
        [
            "safeguard*",
            "abus*",
            "neglect*",
            "exploit*",
            "coerc*",
            "controlling behaviour*|partner|husband|wife|relationship|son|daughter",
            "domestic violen*|incident*",
            "dv",
            $"hit*|hits|beat*|punch*|slap*|kick*|push*|shov* {Relative}|me",
            $"scared|afraid|frightened|fear*|terrified of {Relative}",
            "tak*|took|steal*|stole|control*|using money|pension|savings|cards",
            "tak*|took|steal*|stole|using bank card*",
            "cuckoo*",
            "being groomed",
            "groomed by",
            "traffick*",
            "modern slavery",
            "forced marriage",
            "fgm",
            "child*|kids|baby at risk",
            "unsafe at|in home|house",
            "not safe at|in home|house",
            "feel*|feeling|felt unsafe|not safe",
            "not|hasnt|havent eaten|eating|food for|in days",
        ]),
        new("Crisis", IndicatorCategory.Crisis,
        [
            "in crisis",
            "crisis team|line|service|point|situation",
            "mental health crisis",
            "psychotic",
            "psychosis",
            "hearing voices",
            "voices telling",
            "nervous|mental breakdown",
            "having a breakdown",
            "cant|cannot|not cope anymore",
            "breaking point",
            "end of tether",
            "police called|attended|involved|were called",
        ]),
    ];

    public static IReadOnlyList<ComplexityIndicator> ComplexityIndicators { get; } =
    [
        new("No family or support network", 2, false,
        [
            "no family|relatives|friends",
            "no support network|around",
            "nobody|noone to help|support|turn",
            "lives alone",
            "estranged",
        ]),
        new("Severe and enduring mental illness", 3, true,
        [
            "schizo*",
            "bipolar",
            "personality disorder",
            "severe mental illness",
            "enduring mental",
            "cmht",
            "community mental health team",
            "cpn",
            "sectioned",
            "psychosis",
        ]),
        new("Chaotic circumstances or homelessness", 2, true,
        [
            "chaotic",
            "sofa surf*",
            "rough sleep*",
            "homeless*",
            "no fixed abode",
            "nfa",
            "evict*",
            "bailiff*",
        ]),
        new("Hoarding or self-neglect", 2, true,
        [
            "hoard*",
            "clutter*",
            "squalor",
            "not washing|washed",
        ]),
        new("Reduced capacity to coordinate services", 2, false,
        [
            "learning disab*",
            "dementia",
            "memory problems|loss",
            "cognitive",
            "brain injury",
            "autis*",
            "cannot|cant|unable read",
            "literacy",
        ]),
        new("Counter-productive behaviours or disengagement", 2, true,
        [
            "disengag*",
            "did not attend",
            "missed appointments",
            "refus* help|support|services|treatment",
            "gambl*",
        ]),
        new("Substance use", 2, false,
        [
            "alcohol*",
            "drink* heavily|toomuch",
            "heroin",
            "cocaine",
            "addict*",
            "substance*",
        ]),
    ];

    public static IReadOnlyList<NeedWeight> NeedWeights { get; } =
    [
        new(NeedCategory.LonelinessOrIsolation, 1),
        new(NeedCategory.MentalWellbeing, 2),
        new(NeedCategory.Housing, 2),
        new(NeedCategory.DebtOrBenefits, 2),
        new(NeedCategory.Employment, 1),
        new(NeedCategory.PhysicalActivity, 1),
        new(NeedCategory.CarerSupport, 1),
        new(NeedCategory.LongTermCondition, 1),
        new(NeedCategory.FoodOrFuel, 2),
        new(NeedCategory.Bereavement, 2),
        new(NeedCategory.SubstanceUse, 3),
        new(NeedCategory.PracticalSupport, 1),
        new(NeedCategory.Other, 1),
    ];

    /// <summary>Core needs (requirements TR-07): money, food, fuel and housing come first.</summary>
    public static IReadOnlyList<NeedCategory> CoreNeeds { get; } =
        [NeedCategory.FoodOrFuel, NeedCategory.Housing, NeedCategory.DebtOrBenefits];

    public static TriageRules Rules { get; } = new(EscalationIndicators, ComplexityIndicators, NeedWeights, CoreNeeds,
        CoachFromScore: 5, PsychosocialFromScore: 10, HighPriorityFromScore: 10);
}
