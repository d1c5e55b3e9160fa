using Referrals.EventStore;
using Referrals.ServiceDefaults.Problems;
using Referrals.Triage.Assigning;
using Referrals.Triage.Common;
using Referrals.Triage.Referrals;

namespace Referrals.Triage.Programmes;

/// <summary>Defining a programme: its id and name, and optionally its whole configuration at once.</summary>
public sealed record DefineProgramme(
    string ProgrammeId,
    string Name,
    EligibilityRules? Eligibility = null,
    TriageRules? TriageRules = null,
    DutyRota? DutyRota = null,
    ServiceLevelTargets? ServiceLevels = null,
    IReadOnlyList<LinkWorkerProfile>? LinkWorkers = null);

/// <summary>
/// Programme configuration as data: each change is an event on the programme's stream, whose version is the
/// configuration version. Changes that can add capacity (a worker joining, a limit raised) let the queue move at once.
/// </summary>
public sealed class ProgrammeAdministration(IDocumentStore store, TimeProvider clock, AllocationService allocation)
{
    public async Task<Programme> DefineAsync(DefineProgramme command, string actor, CancellationToken ct)
    {
        var errors = new Errors();
        ProgrammeValidation.ProgrammeId(command.ProgrammeId, errors);
        if (string.IsNullOrWhiteSpace(command.Name))
        {
            errors.Add("name", "A name is required.");
        }

        if (command.Eligibility is not null)
        {
            ProgrammeValidation.Eligibility(command.Eligibility, errors);
        }

        if (command.TriageRules is not null)
        {
            ProgrammeValidation.Triage(command.TriageRules, errors);
        }

        if (command.DutyRota is not null)
        {
            ProgrammeValidation.Rota(command.DutyRota, errors);
        }

        if (command.ServiceLevels is not null)
        {
            ProgrammeValidation.ServiceLevels(command.ServiceLevels, errors);
        }

        var workers = command.LinkWorkers ?? [];
        for (var i = 0; i < workers.Count; i++)
        {
            ProgrammeValidation.Worker(workers[i], errors, $"linkWorkers[{i}]");
        }

        if (workers.Where(w => w is not null).GroupBy(w => w.LinkWorkerId).Any(g => g.Count() > 1))
        {
            errors.Add("linkWorkers", "Each link worker appears once.");
        }

        ProgrammeValidation.RotaWorkers(command.DutyRota, workers, errors);

        errors.ThrowIfAny();

        var now = clock.GetUtcNow();
        var id = command.ProgrammeId;
        var events = new List<object> { new ProgrammeDefined(id, command.Name.Trim(), actor, now) };
        if (command.Eligibility is { } eligibility)
        {
            events.Add(new EligibilityRulesChanged(id, ProgrammeValidation.Normalise(eligibility), actor, now));
        }

        if (command.TriageRules is { } rules)
        {
            events.Add(new TriageRulesChanged(id, rules, actor, now));
        }

        if (command.DutyRota is { } rota)
        {
            events.Add(new DutyRotaChanged(id, rota, actor, now));
        }

        if (command.ServiceLevels is { } levels)
        {
            events.Add(new ServiceLevelsChanged(id, levels, actor, now));
        }

        events.AddRange(workers.Select(w => new LinkWorkerConfigured(id, ProgrammeValidation.Normalise(w), actor, now)));

        await using var session = store.LightweightSession();
        session.Events.StartStream<Programme>(StreamIds.Programme(id), [.. events]);
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (ExistingStreamIdCollisionException)
        {
            throw new DomainRuleException($"Programme '{id}' already exists.");
        }

        return Fold(events);
    }

    /// <summary>
    /// Applies a change under the programme lock. <paramref name="expectedVersion"/> (from If-Match) must match, else the
    /// change fails with a concurrency conflict (412). Returns null when the programme does not exist.
    /// </summary>
    public async Task<Programme?> ChangeAsync(string programmeId, long? expectedVersion, Func<Programme, DateTimeOffset, IReadOnlyList<object>> change,
        string actor, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var programme = await ProgrammeLock.AcquireAsync(session, programmeId, ct);
        if (programme is null)
        {
            return null;
        }

        if (expectedVersion is { } expected && expected != programme.Version)
        {
            throw new ConcurrencyException(programme.Id, expected, programme.Version);
        }

        var events = change(programme, clock.GetUtcNow());
        if (events.Count == 0)
        {
            return programme;
        }

        session.Events.Append(programme.Id, [.. events]);
        var updated = events.Aggregate(programme, Evolve);
        updated.Version = programme.Version + events.Count;
        if (events.Any(e => e is LinkWorkerConfigured))
        {
            await allocation.AllocateAsync(session, new ReferralChanges(session), updated, [], actor, ct);
        }

        await session.SaveChangesAsync(ct);
        return updated;
    }

    private static Programme Fold(IReadOnlyList<object> events)
    {
        var programme = events.Skip(1).Aggregate(Programme.Create((ProgrammeDefined)events[0]), Evolve);
        programme.Version = events.Count;
        return programme;
    }

    private static Programme Evolve(Programme programme, object e) => e switch
    {
        EligibilityRulesChanged x => programme.Apply(x),
        TriageRulesChanged x => programme.Apply(x),
        DutyRotaChanged x => programme.Apply(x),
        ServiceLevelsChanged x => programme.Apply(x),
        LinkWorkerConfigured x => programme.Apply(x),
        LinkWorkerRetired x => programme.Apply(x),
        _ => throw new ArgumentException($"{e.GetType().Name} is not a programme change.", nameof(e)),
    };
}
