using System.Text.RegularExpressions;
using Referrals.ServiceDefaults.Problems;
using Referrals.SharedKernel;

namespace Referrals.Triage.Programmes;

/// <summary>Checks programme configuration before it becomes an event; every error names its field.</summary>
public static partial class ProgrammeValidation
{
    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,62}$")]
    public static partial Regex IdPattern();

    [GeneratedRegex("^[A-Z]{1,2}[0-9][0-9A-Z]?$")]
    private static partial Regex PostcodeDistrictPattern();

    public static void ProgrammeId(string? programmeId, Errors errors, string field = "programmeId")
    {
        if (string.IsNullOrWhiteSpace(programmeId) || !IdPattern().IsMatch(programmeId))
        {
            errors.Add(field, "Use 2-63 lower-case letters, digits and hyphens.");
        }
    }

    public static void Eligibility(EligibilityRules? rules, Errors errors, string field = "eligibility")
    {
        if (rules is null)
        {
            errors.Add(field, "Eligibility rules are required.");
            return;
        }

        Practices(rules.Practices, errors, $"{field}.practices");
        PostcodeDistricts(rules.PostcodeDistricts, errors, $"{field}.postcodeDistricts");
        if (rules.Criteria is null)
        {
            errors.Add($"{field}.criteria", "Give a list (empty: everyone).");
        }
        else
        {
            for (var i = 0; i < rules.Criteria.Count; i++)
            {
                var c = rules.Criteria[i];
                var at = $"{field}.criteria[{i}]";
                if (string.IsNullOrWhiteSpace(c.Name))
                {
                    errors.Add($"{at}.name", "Name the criterion (it appears in the reasons).");
                }

                if (c.MinimumAge is < 0 or > 130 || c.MaximumAge is < 0 or > 130 || c.MinimumAge > c.MaximumAge)
                {
                    errors.Add($"{at}.minimumAge", "Ages must be between 0 and 130, the minimum no more than the maximum.");
                }
            }
        }

        if (string.IsNullOrWhiteSpace(rules.Signposting))
        {
            errors.Add($"{field}.signposting", "Say where an out-of-scope referral can go instead: it is never a silent drop.");
        }
    }

    public static void Triage(TriageRules? rules, Errors errors, string field = "triageRules")
    {
        if (rules is null)
        {
            errors.Add(field, "Triage rules are required.");
            return;
        }

        if (rules.EscalationIndicators is null || rules.EscalationIndicators.Count == 0 ||
            rules.EscalationIndicators.Any(i => i is null || string.IsNullOrWhiteSpace(i.Name) || i.Phrases is null || i.Phrases.Count == 0 ||
                                                i.Phrases.Any(p => PhrasesOf(p) == 0)))
        {
            errors.Add($"{field}.escalationIndicators", "Give at least one named indicator, each with at least one non-empty phrase.");
        }

        if (rules.ComplexityIndicators is null ||
            rules.ComplexityIndicators.Any(i => i is null || string.IsNullOrWhiteSpace(i.Name) || i.Weight is < 0 or > 20 || i.Phrases is null ||
                                                i.Phrases.Count == 0 || i.Phrases.Any(p => PhrasesOf(p) == 0)))
        {
            errors.Add($"{field}.complexityIndicators", "Each indicator needs a name, a weight from 0 to 20 and at least one phrase.");
        }

        if (rules.NeedWeights is null || rules.NeedWeights.Any(w => w is null || w.Weight is < 0 or > 20 || !Enum.IsDefined(w.Need)))
        {
            errors.Add($"{field}.needWeights", "Weights are from 0 to 20 for known need categories.");
        }

        if (rules.CoreNeeds is null)
        {
            errors.Add($"{field}.coreNeeds", "Give a list (it may be empty).");
        }

        if (rules.CoachFromScore < 1 || rules.PsychosocialFromScore <= rules.CoachFromScore || rules.HighPriorityFromScore < 1)
        {
            errors.Add($"{field}.psychosocialFromScore", "Scores must be positive, the Psychosocial threshold above the Coach threshold.");
        }
    }

    public static void Rota(DutyRota? rota, Errors errors, string field = "dutyRota")
    {
        if (rota is null)
        {
            errors.Add(field, "A duty rota is required.");
            return;
        }

        if (string.IsNullOrWhiteSpace(rota.TimeZone) || !TimeZoneInfo.TryFindSystemTimeZoneById(rota.TimeZone, out _))
        {
            errors.Add($"{field}.timeZone", "Use an IANA time zone, e.g. Europe/London.");
        }

        if (rota.AcknowledgeWithinMinutes is < 1 or > 240)
        {
            errors.Add($"{field}.acknowledgeWithinMinutes", "A short deadline: 1 to 240 minutes.");
        }

        if (rota.Slots is null)
        {
            errors.Add($"{field}.slots", "Give a list (empty: always outside rota hours).");
        }
        else
        {
            var wellFormed = true;
            for (var i = 0; i < rota.Slots.Count; i++)
            {
                var slot = rota.Slots[i];
                var at = $"{field}.slots[{i}]";
                if (slot is null)
                {
                    errors.Add(at, "A slot is required.");
                    wellFormed = false;
                    continue;
                }

                // An undefined day (JSON allows numbers) would never match a date: a slot that silently never applies.
                if (slot.Days is null || slot.Days.Count == 0 || slot.Days.Any(d => !Enum.IsDefined(d)))
                {
                    errors.Add($"{at}.days", "Give at least one day, each Monday to Sunday.");
                    wellFormed = false;
                }

                if (slot.From == slot.To)
                {
                    errors.Add($"{at}.to", "A slot must have a length.");
                    wellFormed = false;
                }

                if (string.IsNullOrWhiteSpace(slot.DutyWorkerId))
                {
                    errors.Add($"{at}.dutyWorkerId", "Name the duty worker.");
                }

                if (string.IsNullOrWhiteSpace(slot.TeamLeadId))
                {
                    errors.Add($"{at}.teamLeadId", "Name the team lead the duty worker falls back to.");
                }
                else if (string.Equals(slot.TeamLeadId, slot.DutyWorkerId, StringComparison.Ordinal))
                {
                    // The chain skips a lead who is the duty worker: the step to someone with authority over them would be lost.
                    errors.Add($"{at}.teamLeadId", "The team lead must be someone other than the duty worker: unacknowledged, the escalation moves on to them.");
                }
            }

            if (wellFormed)
            {
                Cover(rota.Slots, errors, $"{field}.slots");
            }
        }

        if (rota.FallbackTeamLeadIds is null || rota.ClosedDates is null)
        {
            errors.Add($"{field}.fallbackTeamLeadIds", "Give lists (they may be empty).");
        }
        else if (rota.FallbackTeamLeadIds.Any(string.IsNullOrWhiteSpace))
        {
            // A blank entry is skipped when the chain is built: a fallback that looks set but asks nobody.
            errors.Add($"{field}.fallbackTeamLeadIds", "Name every fallback team lead (no blank entries).");
        }

        if (string.IsNullOrWhiteSpace(rota.NotACrisisStatement))
        {
            errors.Add($"{field}.notACrisisStatement", "The plain statement that the service is not a crisis service is required.");
        }
    }

    /// <summary>
    /// HAZ-002 C6: every hour of the week resolves to one chain. The chain always ends at (in hours) or starts with (out of
    /// hours) the registered practice, so what a rota can get wrong is which chain applies: two slots claiming one moment,
    /// or a break in cover inside a day, which would be handled as out of hours while the service is working.
    /// </summary>
    private static void Cover(IReadOnlyList<DutySlot> slots, Errors errors, string field)
    {
        foreach (var overlap in Escalating.RotaCover.Overlaps(slots))
        {
            errors.Add($"{field}[{overlap.Slot}]",
                $"Overlaps slots[{overlap.OtherSlot}] on {overlap.Day} from {Clock(overlap.From)}: only one duty worker is on duty at a time, so this slot would never be used then.");
        }

        foreach (var gap in Escalating.RotaCover.Gaps(slots))
        {
            errors.Add(field,
                $"On {gap.Day} nobody is on duty from {Clock(gap.From)} to {Clock(gap.To)}, between two duty periods. Cover it: out of hours is only before a day's first duty period and after its last.");
        }
    }

    /// <summary>
    /// Each slot's duty worker must be an active link worker of the programme: only a link worker sees the escalation on
    /// their worklist and can acknowledge it as the duty worker; anyone else leaves the first step with nobody who can act.
    /// </summary>
    public static void RotaWorkers(DutyRota? rota, IEnumerable<LinkWorkerProfile?> workers, Errors errors, string field = "dutyRota")
    {
        if (rota?.Slots is null)
        {
            return;
        }

        var active = workers.Where(w => w is { Active: true }).Select(w => w!.LinkWorkerId).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < rota.Slots.Count; i++)
        {
            if (rota.Slots[i] is { DutyWorkerId: { } duty } && !string.IsNullOrWhiteSpace(duty) && !active.Contains(duty))
            {
                errors.Add($"{field}.slots[{i}].dutyWorkerId", "The duty worker must be an active link worker of the programme.");
            }
        }
    }

    /// <summary>Retiring a duty worker named on the rota would leave their slots with nobody who can act; change the rota first.</summary>
    public static void Retirement(Programme programme, string linkWorkerId)
    {
        if (programme.Worker(linkWorkerId) is not { Active: true })
        {
            throw new DomainRuleException("That link worker is not active in the programme.");
        }

        if (programme.DutyRota.Slots.Any(s => string.Equals(s.DutyWorkerId, linkWorkerId, StringComparison.Ordinal)))
        {
            throw new DomainRuleException("That link worker is a duty worker on the rota: change the duty rota first.");
        }
    }

    private static string Clock(TimeOnly time) => time.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    public static void ServiceLevels(ServiceLevelTargets? levels, Errors errors, string field = "serviceLevels")
    {
        if (levels is null)
        {
            errors.Add(field, "Service levels are required.");
            return;
        }

        if (new[] { levels.RoutineFirstContactWorkingDays, levels.HighFirstContactWorkingDays, levels.UrgentFirstContactWorkingDays }
            .Any(d => d is < 0 or > 60))
        {
            errors.Add(field, "First contact is due within 0 to 60 working days.");
        }
    }

    public static void Worker(LinkWorkerProfile? worker, Errors errors, string field = "linkWorker")
    {
        if (worker is null)
        {
            errors.Add(field, "A link worker is required.");
            return;
        }

        if (string.IsNullOrWhiteSpace(worker.LinkWorkerId) || !IdPattern().IsMatch(worker.LinkWorkerId))
        {
            errors.Add($"{field}.linkWorkerId", "Use 2-63 lower-case letters, digits and hyphens.");
        }

        if (string.IsNullOrWhiteSpace(worker.DisplayName))
        {
            errors.Add($"{field}.displayName", "A display name is required.");
        }

        if (!Enum.IsDefined(worker.Tier))
        {
            errors.Add($"{field}.tier", "LinkWorker, LinkWorkerCoach or PsychosocialLinkWorker.");
        }

        Practices(worker.Practices, errors, $"{field}.practices");
        PostcodeDistricts(worker.PostcodeDistricts, errors, $"{field}.postcodeDistricts");
        if (worker.YearlyIntakeLimit is < 1 or > 1000)
        {
            errors.Add($"{field}.yearlyIntakeLimit", "New people a year: 1 to 1000 (typically 200-250).");
        }

        if (worker.ActiveCaseloadLimit is < 1 or > 1000)
        {
            errors.Add($"{field}.activeCaseloadLimit", "People held at once: 1 to 1000, or leave it out.");
        }
    }

    private static void Practices(IReadOnlyList<string>? practices, Errors errors, string field)
    {
        if (practices is null)
        {
            errors.Add(field, "Give a list (empty: no restriction).");
        }
        else if (practices.Any(p => !OdsCode.TryCreate(p, out _, out _)))
        {
            errors.Add(field, "Every practice is an ODS code (1-9 letters or digits).");
        }
    }

    private static void PostcodeDistricts(IReadOnlyList<string>? districts, Errors errors, string field)
    {
        if (districts is null)
        {
            errors.Add(field, "Give a list (empty: no restriction).");
        }
        else if (districts.Any(d => d is null || !PostcodeDistrictPattern().IsMatch(d.Trim().ToUpperInvariant())))
        {
            errors.Add(field, "Every entry is a postcode district, e.g. LS7 or BD3.");
        }
    }

    private static int PhrasesOf(string? phrase) =>
        string.IsNullOrWhiteSpace(phrase) ? 0 : Triaging.PhraseMatcher.Compile(phrase).Words.Count;

    /// <summary>Normalised copies: ODS codes and postcode districts upper-case.</summary>
    public static EligibilityRules Normalise(EligibilityRules rules) => rules with
    {
        Practices = rules.Practices.Select(p => p.Trim().ToUpperInvariant()).Distinct().ToList(),
        PostcodeDistricts = rules.PostcodeDistricts.Select(p => p.Trim().ToUpperInvariant()).Distinct().ToList(),
    };

    public static LinkWorkerProfile Normalise(LinkWorkerProfile worker) => worker with
    {
        Practices = worker.Practices.Select(p => p.Trim().ToUpperInvariant()).Distinct().ToList(),
        PostcodeDistricts = worker.PostcodeDistricts.Select(p => p.Trim().ToUpperInvariant()).Distinct().ToList(),
    };
}

/// <summary>Collects field errors; <see cref="ThrowIfAny"/> raises the 400.</summary>
public sealed class Errors
{
    private readonly Dictionary<string, List<string>> _errors = [];

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(message);
    }

    public void ThrowIfAny()
    {
        if (_errors.Count > 0)
        {
            throw new RequestValidationException(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
        }
    }
}
