using Referrals.Contracts;

namespace Referrals.Triage.Programmes;

/// <summary>
/// One way into the programme. A person meets the criterion when every condition it sets holds; the programme takes a
/// person who meets any of its criteria (seed 004: "over 18 with a long-term condition"; "over 60, and carers").
/// </summary>
public sealed record EligibilityCriterion(
    string Name,
    int? MinimumAge = null,
    int? MaximumAge = null,
    bool RequiresLongTermCondition = false,
    bool RequiresCarer = false);

/// <summary>
/// Who the programme serves. Empty lists mean "no restriction"; keep them light (seed 004 warns against rigid criteria).
/// </summary>
public sealed record EligibilityRules(
    IReadOnlyList<string> Practices,
    IReadOnlyList<string> PostcodeDistricts,
    IReadOnlyList<EligibilityCriterion> Criteria,
    string Signposting)
{
    public static EligibilityRules Open { get; } = new([], [], [],
        "This programme cannot take the referral. Your GP practice, NHS 111 or the local council's adult social care team can suggest other support.");
}

public enum IndicatorCategory
{
    HarmToSelf,
    HarmToOthers,
    Safeguarding,
    Crisis,
}

/// <summary>
/// Words and phrases in the referral's free text that escalate it at once. Phrase syntax: words separated by spaces; a word
/// may list alternatives with <c>|</c> and end with <c>*</c> to match any ending. Matching tolerates misspellings, joined or
/// split words and up to two words in between.
/// </summary>
public sealed record EscalationIndicator(string Name, IndicatorCategory Category, IReadOnlyList<string> Phrases);

/// <summary>Free-text phrases that add to the complexity score; a vulnerability indicator also calls for a Psychosocial Link Worker.</summary>
public sealed record ComplexityIndicator(string Name, int Weight, bool Vulnerability, IReadOnlyList<string> Phrases);

public sealed record NeedWeight(NeedCategory Need, int Weight);

/// <summary>How needs, risk answers and free text become a complexity score, a tier and a priority.</summary>
public sealed record TriageRules(
    IReadOnlyList<EscalationIndicator> EscalationIndicators,
    IReadOnlyList<ComplexityIndicator> ComplexityIndicators,
    IReadOnlyList<NeedWeight> NeedWeights,
    IReadOnlyList<NeedCategory> CoreNeeds,
    int CoachFromScore,
    int PsychosocialFromScore,
    int HighPriorityFromScore);

/// <summary>A recurring duty period: on these days, from <see cref="From"/> to <see cref="To"/> (local time), who is on duty.</summary>
public sealed record DutySlot(
    IReadOnlyList<DayOfWeek> Days,
    TimeOnly From,
    TimeOnly To,
    string DutyWorkerId,
    string TeamLeadId);

/// <summary>
/// The duty rota and the escalation chain: the duty worker, then the slot's team lead, then the fallback team leads, each
/// given <see cref="AcknowledgeWithinMinutes"/>; then the registered practice and the referrer. Outside every slot (or on a
/// closed date) an escalation goes straight to the practice and the referrer with <see cref="NotACrisisStatement"/>.
/// </summary>
public sealed record DutyRota(
    string TimeZone,
    int AcknowledgeWithinMinutes,
    IReadOnlyList<DutySlot> Slots,
    IReadOnlyList<string> FallbackTeamLeadIds,
    IReadOnlyList<DateOnly> ClosedDates,
    string NotACrisisStatement)
{
    public const string DefaultStatement =
        "The social prescribing link worker service is not a crisis service and cannot act on this now. The case needs your action: " +
        "if the person is in immediate danger call 999; for urgent mental health help call NHS 111 and choose the mental health option.";

    public static DutyRota None { get; } = new("Europe/London", 15, [], [], [], DefaultStatement);
}

/// <summary>First contact is due within this many working days of triage, by priority (a product decision; the seeds set no SLA).</summary>
public sealed record ServiceLevelTargets(int RoutineFirstContactWorkingDays, int HighFirstContactWorkingDays, int UrgentFirstContactWorkingDays)
{
    public static ServiceLevelTargets Default { get; } = new(10, 5, 1);

    public int FirstContactWorkingDays(Priority priority) => priority switch
    {
        Priority.Urgent => UrgentFirstContactWorkingDays,
        Priority.High => HighFirstContactWorkingDays,
        _ => RoutineFirstContactWorkingDays,
    };
}

/// <summary>
/// A link worker in the programme: tier, the practices (and optionally postcode districts) they cover (both empty: the whole
/// programme), and capacity: new people a year (seed 003: 200-250) and, optionally, people held at once.
/// </summary>
public sealed record LinkWorkerProfile(
    string LinkWorkerId,
    string DisplayName,
    Tier Tier,
    IReadOnlyList<string> Practices,
    IReadOnlyList<string> PostcodeDistricts,
    int YearlyIntakeLimit,
    int? ActiveCaseloadLimit,
    bool Active)
{
    public const int DefaultYearlyIntakeLimit = 250;

    /// <remarks>
    /// A referral without a postcode is eligible for a postcode-defined programme (the worker confirms the catchment), so a
    /// worker who covers districts only may take it; otherwise it could never be assigned and would wait in the queue.
    /// </remarks>
    public bool Covers(string practiceOds, string? postcodeDistrict) =>
        (Practices.Count == 0 && PostcodeDistricts.Count == 0)
        || Practices.Contains(practiceOds, StringComparer.OrdinalIgnoreCase)
        || (postcodeDistrict is not null && PostcodeDistricts.Contains(postcodeDistrict, StringComparer.OrdinalIgnoreCase))
        || (postcodeDistrict is null && Practices.Count == 0);
}
