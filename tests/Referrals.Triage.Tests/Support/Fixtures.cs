using Referrals.Contracts;
using Referrals.Contracts.Intake;
using Referrals.Triage.Programmes;

namespace Referrals.Triage.Tests.Support;

/// <summary>
/// Realistic programme shapes from seed 004 and referrals as intake sends them. Programme ids are made unique per test so
/// tests sharing a host do not see each other's work.
/// </summary>
public static class Fixtures
{
    public static readonly DayOfWeek[] Weekdays =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];

    public static string UniqueId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    /// <summary>Weekdays 09:00-17:00 London: duty worker, then the team lead, then a deputy; 15 minutes to acknowledge.</summary>
    public static DutyRota WeekdayRota(string dutyWorker, string teamLead = "tl-lead", string deputy = "tl-deputy", int minutes = 15) =>
        new("Europe/London", minutes, [new(Weekdays, new TimeOnly(9, 0), new TimeOnly(17, 0), dutyWorker, teamLead)], [deputy], [],
            DutyRota.DefaultStatement);

    public static LinkWorkerProfile Worker(string id, Tier tier, IReadOnlyList<string> practices, int yearly = 250, int? active = null) =>
        new(id, $"Worker {id}", tier, practices, [], yearly, active, true);

    /// <summary>National Links Worker Programme (004): one Community Links Practitioner in each of seven practices.</summary>
    public static DefineProgramme OneWorkerPerPractice(string? id = null, int yearly = 250)
    {
        var practices = Enumerable.Range(1, 7).Select(i => $"G8500{i}").ToList();
        return new DefineProgramme(id ?? UniqueId("deep-end"), "Deep End links practitioners",
            new EligibilityRules(practices, [], [new EligibilityCriterion("Registered adult", MinimumAge: 16)], "Ask the practice team about other support."),
            DefaultTriageRules.Rules, WeekdayRota("clp-7"), ServiceLevelTargets.Default,
            practices.Select((p, i) => Worker($"clp-{i + 1}", i == 6 ? Tier.PsychosocialLinkWorker : Tier.LinkWorker, [p], yearly)).ToList());
    }

    /// <summary>Sources of Support (004): three link workers across four practices, who each refer in.</summary>
    public static DefineProgramme ThreeWorkersFourPractices(string? id = null, int yearly = 250, int? active = null)
    {
        string[] practices = ["F11001", "F11002", "F11003", "F11004"];
        return new DefineProgramme(id ?? UniqueId("sources"), "Sources of Support",
            new EligibilityRules(practices, [], [], "A GP at the practice can suggest other local support."),
            DefaultTriageRules.Rules, WeekdayRota("sos-3"), ServiceLevelTargets.Default,
            [
                Worker("sos-1", Tier.LinkWorker, practices, yearly, active),
                Worker("sos-2", Tier.LinkWorkerCoach, practices, yearly, active),
                Worker("sos-3", Tier.PsychosocialLinkWorker, practices, yearly, active),
            ]);
    }

    /// <summary>Health and Wellbeing Practitioner Service (004): adults over 18 with a long-term condition as defined by their GP.</summary>
    public static DefineProgramme AdultsWithLongTermCondition(string? id = null)
    {
        var practices = Enumerable.Range(1, 9).Select(i => $"S7000{i}").ToList();
        return new DefineProgramme(id ?? UniqueId("thistle"), "Health and Wellbeing Practitioner Service",
            new EligibilityRules(practices, [],
                [new EligibilityCriterion("Aged over 18 with a long-term condition as defined by their GP", MinimumAge: 18, RequiresLongTermCondition: true)],
                "The service takes adults with a long-term condition. The practice can suggest other support, for example the local wellbeing hub."),
            DefaultTriageRules.Rules, WeekdayRota("hwp-2"), ServiceLevelTargets.Default,
            [Worker("hwp-1", Tier.LinkWorkerCoach, practices), Worker("hwp-2", Tier.PsychosocialLinkWorker, practices)]);
    }

    /// <summary>Community Connectors (004): people over 60, and carers, living in given postcodes; no tenancy needed.</summary>
    public static DefineProgramme OverSixtiesAndCarersInPostcodes(string? id = null) =>
        new(id ?? UniqueId("connectors"), "Community Connectors",
            new EligibilityRules([], ["G51", "G52", "G53"],
                [new EligibilityCriterion("Aged over 60", MinimumAge: 60), new EligibilityCriterion("Carer", RequiresCarer: true)],
                "Community Connectors work with people over 60 and carers in Govan. Glasgow's Health and Social Care Connect line can suggest other support."),
            DefaultTriageRules.Rules, WeekdayRota("ccp-1"), ServiceLevelTargets.Default,
            [new LinkWorkerProfile("ccp-1", "Connector 1", Tier.PsychosocialLinkWorker, [], ["G51", "G52", "G53"], 250, null, true)]);

    public static ReferralSubmitted Referral(
        string programmeId,
        string practice,
        int age = 45,
        string? postcodeDistrict = "LS7",
        bool longTermCondition = false,
        bool carer = false,
        IReadOnlyList<NeedCategory>? needs = null,
        RiskAnswers? risk = null,
        string? reason = "Feeling isolated since retiring and would like to get out more.",
        string? whatMatters = "Meeting people and getting back to the allotment.",
        string? riskNotes = null,
        Urgency urgency = Urgency.Routine,
        Guid? previousJourneyId = null,
        DateTimeOffset? submittedAt = null,
        string referrerOrganisation = "B86001")
    {
        var personId = Guid.CreateVersion7();
        var at = submittedAt ?? DateTimeOffset.UtcNow;
        return new ReferralSubmitted(Guid.CreateVersion7(), Guid.CreateVersion7(), personId, previousJourneyId, programmeId, practice,
            new Referrer(ReferrerKind.GpPractice, referrerOrganisation, "Dr A Example", "GP", "practice.manager@example.nhs.uk"),
            new PersonDetails(null, "Test", "Person", new DateOnly(1980, 1, 1), null, null, null, ContactMethod.Phone, null, null),
            age, postcodeDistrict, longTermCondition, carer, needs ?? [NeedCategory.LonelinessOrIsolation], reason, whatMatters,
            risk ?? NoRisk, riskNotes, urgency,
            new ConsentRecord(ConsentAuthority.Person, "Test Person", at, "Dr A Example", ConsentScope.Full), at);
    }

    public static readonly RiskAnswers NoRisk = new(false, false, false, false);
}
