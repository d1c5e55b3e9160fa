using Referrals.Contracts;
using Referrals.EventStore;
using Referrals.ServiceDefaults.Problems;

namespace Referrals.Triage.Programmes;

/// <summary>
/// Development only: seeds the programmes of intake's development catalogue at start-up, once (a programme that exists is
/// left as it is). north-leeds serves practices B86001-B86004 with four link workers of mixed tiers and a weekday duty
/// rota; east-bradford serves B83001. Seeding is part of start-up and is registered before messaging, so no referral
/// waiting in the queue is consumed (and found "not configured") before its programme exists.
/// </summary>
public sealed class DevelopmentProgrammes(EventStoreReadiness readiness, ProgrammeAdministration admin, ILogger<DevelopmentProgrammes> logger)
    : IHostedService
{
    public const string Actor = "development-seed";

    private static readonly DayOfWeek[] Weekdays =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];

    public static IReadOnlyList<DefineProgramme> All { get; } =
    [
        new("north-leeds", "North Leeds Social Prescribing",
            new EligibilityRules(["B86001", "B86002", "B86003", "B86004"], [],
                [new EligibilityCriterion("Adult registered with a North Leeds practice", MinimumAge: 18)],
                "North Leeds social prescribing takes adults registered with its four practices. For anyone else, the person's own GP practice, NHS 111 or Leeds City Council adult social care (0113 222 4401) can suggest local support."),
            DefaultTriageRules.Rules,
            new DutyRota("Europe/London", 15,
            [
                new([DayOfWeek.Monday, DayOfWeek.Wednesday], new TimeOnly(9, 0), new TimeOnly(17, 0), "lw-nl-04", "tl-nl-01"),
                new([DayOfWeek.Tuesday, DayOfWeek.Thursday], new TimeOnly(9, 0), new TimeOnly(17, 0), "lw-nl-03", "tl-nl-01"),
                new([DayOfWeek.Friday], new TimeOnly(9, 0), new TimeOnly(17, 0), "lw-nl-04", "tl-nl-02"),
            ], ["tl-nl-02"], [new DateOnly(2026, 12, 25), new DateOnly(2026, 12, 28)], DutyRota.DefaultStatement),
            ServiceLevelTargets.Default,
            [
                new("lw-nl-01", "Amira Shah", Tier.LinkWorker, ["B86001", "B86002"], [], 250, null, true),
                new("lw-nl-02", "Ben Clarke", Tier.LinkWorker, ["B86003", "B86004"], [], 250, null, true),
                new("lw-nl-03", "Chloe Evans", Tier.LinkWorkerCoach, ["B86001", "B86002", "B86003", "B86004"], [], 220, null, true),
                new("lw-nl-04", "Dev Patel", Tier.PsychosocialLinkWorker, ["B86001", "B86002", "B86003", "B86004"], [], 180, 60, true),
            ]),
        new("east-bradford", "East Bradford Community Connectors",
            new EligibilityRules(["B83001"], [],
                [new EligibilityCriterion("Adult registered with the practice", MinimumAge: 18)],
                "East Bradford community connectors take adults registered with practice B83001. Others can ask their own GP practice, NHS 111 or Bradford Council adult social care for local support."),
            DefaultTriageRules.Rules,
            new DutyRota("Europe/London", 15,
                [new(Weekdays, new TimeOnly(9, 0), new TimeOnly(17, 0), "lw-eb-02", "tl-eb-01")], [], [], DutyRota.DefaultStatement),
            ServiceLevelTargets.Default,
            [
                new("lw-eb-01", "Erin Walsh", Tier.LinkWorker, ["B83001"], [], 250, null, true),
                new("lw-eb-02", "Farid Hussain", Tier.PsychosocialLinkWorker, ["B83001"], [], 200, null, true),
            ]),
    ];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await readiness.Migrated.WaitAsync(cancellationToken);
        await SeedAsync(admin, logger, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Creates each programme that does not exist yet. Safe to run any number of times.</summary>
    public static async Task<int> SeedAsync(ProgrammeAdministration admin, ILogger logger, CancellationToken ct)
    {
        var created = 0;
        foreach (var programme in All)
        {
            try
            {
                await admin.DefineAsync(programme, Actor, ct);
                created++;
                logger.LogInformation("Seeded development programme {ProgrammeId}", programme.ProgrammeId);
            }
            catch (DomainRuleException)
            {
                // Already there: a seed never overwrites configuration someone may have changed.
            }
        }

        return created;
    }
}
