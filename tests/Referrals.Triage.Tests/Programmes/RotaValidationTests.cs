using Referrals.Contracts;
using Referrals.Contracts.Triage;
using Referrals.ServiceDefaults.Problems;
using Referrals.Triage.Escalating;
using Referrals.Triage.Programmes;
using Referrals.Triage.Tests.Support;

namespace Referrals.Triage.Tests.Programmes;

/// <summary>
/// HAZ-002 C6: a rota is refused unless every hour of the week resolves to one chain that reaches the practice. Hours a
/// slot covers go duty worker, team lead, fallback leads, then the practice; hours before a day's first duty period and
/// after its last go straight to the practice. What a rota can get wrong is which chain applies and who is on it.
/// </summary>
public sealed class RotaValidationTests
{
    private static readonly DayOfWeek[] Weekdays = Fixtures.Weekdays;

    private static readonly LinkWorkerProfile[] Workers =
    [
        Fixtures.Worker("lw-am", Tier.PsychosocialLinkWorker, []),
        Fixtures.Worker("lw-pm", Tier.PsychosocialLinkWorker, []),
        Fixtures.Worker("lw-night", Tier.LinkWorkerCoach, []),
        Fixtures.Worker("lw-weekend", Tier.PsychosocialLinkWorker, []),
    ];

    private static DutyRota Rota(params DutySlot[] slots) =>
        new("Europe/London", 15, slots, ["tl-deputy"], [new DateOnly(2026, 12, 25)], DutyRota.DefaultStatement);

    private static DutySlot Slot(DayOfWeek[] days, int from, int to, string duty = "lw-am", string lead = "tl-lead") =>
        new(days, new TimeOnly(from, 0), new TimeOnly(to, 0), duty, lead);

    /// <summary>The errors defining a programme with this rota and these workers would get (empty: accepted).</summary>
    private static IDictionary<string, string[]> Check(DutyRota rota, IEnumerable<LinkWorkerProfile>? workers = null)
    {
        var errors = new Errors();
        ProgrammeValidation.Rota(rota, errors);
        ProgrammeValidation.RotaWorkers(rota, workers ?? Workers, errors);
        try
        {
            errors.ThrowIfAny();
            return new Dictionary<string, string[]>();
        }
        catch (RequestValidationException refused)
        {
            return refused.Errors;
        }
    }

    /// <summary>Weekdays split into two shifts with night cover, and a weekend day shift running overnight into Sunday and Monday.</summary>
    private static readonly DutyRota Complete = Rota(
        Slot(Weekdays, 9, 13, "lw-am"),
        Slot(Weekdays, 13, 17, "lw-pm"),
        Slot([DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday], 17, 9, "lw-night", "tl-night"),
        Slot([DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday], 17, 9, "lw-weekend", "tl-night"),
        Slot([DayOfWeek.Saturday, DayOfWeek.Sunday], 9, 17, "lw-weekend"));

    [Fact]
    public void A_complete_rota_is_accepted_and_the_hours_around_a_days_cover_are_out_of_hours_not_gaps()
    {
        Assert.Empty(Check(Complete));
        // Office hours only: the night and the weekend are out of hours by design.
        Assert.Empty(Check(Rota(Slot(Weekdays, 9, 17))));
        // Back-to-back shifts, and a slot ending a minute before midnight, leave no gap.
        Assert.Empty(Check(Rota(Slot(Weekdays, 8, 12), Slot(Weekdays, 12, 18, "lw-pm"),
            new DutySlot([DayOfWeek.Saturday], new TimeOnly(0, 0), new TimeOnly(23, 59), "lw-weekend", "tl-lead"))));
        // No slots at all: every hour goes straight to the practice and the referrer.
        Assert.Empty(Check(Rota()));
    }

    [Fact]
    public void The_development_programmes_and_the_test_fixtures_define_rotas_that_are_accepted()
    {
        DefineProgramme[] definitions =
        [
            .. DevelopmentProgrammes.All, Fixtures.OneWorkerPerPractice(), Fixtures.ThreeWorkersFourPractices(),
            Fixtures.AdultsWithLongTermCondition(), Fixtures.OverSixtiesAndCarersInPostcodes(),
        ];
        foreach (var definition in definitions)
        {
            Assert.Empty(Check(definition.DutyRota!, definition.LinkWorkers));
        }
    }

    [Fact]
    public void A_rota_with_an_hour_no_slot_covers_between_two_duty_periods_is_refused()
    {
        // A lunch hour nobody covers: an escalation at 12:30 would be handled as out of hours while the service works.
        var errors = Check(Rota(Slot(Weekdays, 9, 12), Slot(Weekdays, 13, 17, "lw-pm")));
        var gaps = Assert.Single(errors, e => e.Key == "dutyRota.slots").Value;
        Assert.Equal(5, gaps.Length);
        Assert.Contains(gaps, m => m.StartsWith("On Monday nobody is on duty from 12:00 to 13:00", StringComparison.Ordinal));

        // An overnight slot counts for the morning it runs into; the break before the evening shift does not.
        var evening = Check(Rota(Slot([DayOfWeek.Monday], 9, 17), Slot([DayOfWeek.Monday], 18, 8, "lw-night")));
        Assert.Equal(["On Monday nobody is on duty from 17:00 to 18:00"],
            evening["dutyRota.slots"].Select(m => m[..m.IndexOf(',', StringComparison.Ordinal)]).ToArray());
    }

    [Fact]
    public void Slots_that_overlap_are_refused_naming_the_later_slot()
    {
        var errors = Check(Rota(Slot(Weekdays, 9, 17), Slot([DayOfWeek.Wednesday], 12, 20, "lw-pm")));
        Assert.StartsWith("Overlaps slots[0] on Wednesday from 12:00", Assert.Single(errors["dutyRota.slots[1]"]), StringComparison.Ordinal);

        // Through an overnight slot into the next morning, and across the end of the week into Sunday.
        var overnight = Check(Rota(Slot([DayOfWeek.Friday], 17, 9, "lw-night"), Slot([DayOfWeek.Saturday], 8, 12, "lw-weekend")));
        Assert.StartsWith("Overlaps slots[0] on Saturday from 08:00", Assert.Single(overnight["dutyRota.slots[1]"]), StringComparison.Ordinal);
        var wrapped = Check(Rota(Slot([DayOfWeek.Saturday], 20, 10, "lw-night"), Slot([DayOfWeek.Sunday], 9, 17, "lw-weekend")));
        Assert.StartsWith("Overlaps slots[0] on Sunday from 09:00", Assert.Single(wrapped["dutyRota.slots[1]"]), StringComparison.Ordinal);
    }

    [Fact]
    public void A_slot_whose_team_lead_is_its_own_duty_worker_is_refused()
    {
        var errors = Check(Rota(Slot(Weekdays, 9, 17, "lw-am", "lw-am")));
        Assert.Equal(["dutyRota.slots[0].teamLeadId"], errors.Keys.ToArray());
    }

    [Fact]
    public void A_duty_worker_who_is_not_an_active_link_worker_of_the_programme_is_refused()
    {
        var unknown = Check(Rota(Slot(Weekdays, 9, 13), Slot(Weekdays, 13, 17, "lw-nobody")));
        Assert.Equal(["dutyRota.slots[1].dutyWorkerId"], unknown.Keys.ToArray());

        var retired = Check(Rota(Slot(Weekdays, 9, 17)), [Workers[0] with { Active = false }, .. Workers[1..]]);
        Assert.Equal(["dutyRota.slots[0].dutyWorkerId"], retired.Keys.ToArray());

        // Nobody at all: a rota defined before any link worker names nobody who can act.
        Assert.Equal(["dutyRota.slots[0].dutyWorkerId"], Check(Rota(Slot(Weekdays, 9, 17)), []).Keys.ToArray());
    }

    [Fact]
    public void A_blank_fallback_team_lead_is_refused()
    {
        var errors = Check(Rota(Slot(Weekdays, 9, 17)) with { FallbackTeamLeadIds = ["tl-deputy", " "] });
        Assert.Equal(["dutyRota.fallbackTeamLeadIds"], errors.Keys.ToArray());
    }

    [Fact]
    public void A_slot_on_a_day_that_does_not_exist_is_refused()
    {
        var errors = Check(Rota(Slot([DayOfWeek.Monday, (DayOfWeek)9], 9, 17)));
        Assert.Equal(["dutyRota.slots[0].days"], errors.Keys.ToArray());
    }

    [Fact]
    public void Retiring_a_duty_worker_named_on_the_rota_is_refused()
    {
        var programme = ProgrammeBuilder.Build(new DefineProgramme("rota-retire", "Retiring", DutyRota: Complete, LinkWorkers: Workers));
        var refused = Assert.Throws<DomainRuleException>(() => ProgrammeValidation.Retirement(programme, "lw-night"));
        Assert.Contains("duty rota", refused.Message, StringComparison.Ordinal);

        var offRota = programme with { LinkWorkers = [.. Workers, Fixtures.Worker("lw-off", Tier.LinkWorker, [])] };
        ProgrammeValidation.Retirement(offRota, "lw-off");
    }

    /// <summary>
    /// Why the rules above are all a rota can get wrong: the decider puts the practice at the end of every in-hours chain
    /// (after a team lead) and at the start of every out-of-hours one, whatever the slots say.
    /// </summary>
    [Fact]
    public void Every_hour_of_the_week_of_an_accepted_rota_resolves_to_a_chain_that_reaches_the_practice()
    {
        var subject = new EscalationSubject(Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), "prog",
            EscalationTrigger.Triage, ["Risk"], "B86001", "B86001");
        var monday = new DateTimeOffset(2026, 1, 5, 0, 30, 0, TimeSpan.Zero);
        foreach (var rota in new[] { Complete, Rota(Slot(Weekdays, 9, 17)), DevelopmentProgrammes.All[0].DutyRota! })
        {
            Assert.Empty(Check(rota, DevelopmentProgrammes.All[0].LinkWorkers!.Concat(Workers)));
            for (var hour = 0; hour < 7 * 24; hour++)
            {
                var opened = (EscalationOpened)EscalationDecider.Open(subject, rota, 1, monday.AddHours(hour))[0];
                var kinds = opened.Chain.Select(s => s.Recipients[0].Kind).ToList();
                if (opened.OutsideRotaHours)
                {
                    Assert.Equal(EscalationRecipientKind.RegisteredPractice, kinds[0]);
                }
                else
                {
                    Assert.Equal([EscalationRecipientKind.DutyWorker, EscalationRecipientKind.TeamLead], kinds.Take(2));
                    Assert.Equal(EscalationRecipientKind.RegisteredPractice, kinds[^1]);
                }
            }
        }
    }
}
