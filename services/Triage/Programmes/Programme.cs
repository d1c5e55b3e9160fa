using Referrals.Triage.Common;

namespace Referrals.Triage.Programmes;

/// <summary>
/// A social prescribing programme's configuration, folded from its stream (also kept as an inline snapshot document).
/// <see cref="Version"/> is the configuration version.
/// </summary>
public sealed record Programme(
    Guid Id,
    string ProgrammeId,
    string Name,
    EligibilityRules Eligibility,
    TriageRules TriageRules,
    DutyRota DutyRota,
    ServiceLevelTargets ServiceLevels,
    IReadOnlyList<LinkWorkerProfile> LinkWorkers)
{
    public long Version { get; set; }

    public IEnumerable<LinkWorkerProfile> ActiveWorkers => LinkWorkers.Where(w => w.Active);

    public LinkWorkerProfile? Worker(string linkWorkerId) =>
        LinkWorkers.FirstOrDefault(w => string.Equals(w.LinkWorkerId, linkWorkerId, StringComparison.Ordinal));

    public static Programme Create(ProgrammeDefined e) =>
        new(StreamIds.Programme(e.ProgrammeId), e.ProgrammeId, e.Name, EligibilityRules.Open, DefaultTriageRules.Rules, DutyRota.None,
            ServiceLevelTargets.Default, []);

    public Programme Apply(EligibilityRulesChanged e) => this with { Eligibility = e.Rules };

    public Programme Apply(TriageRulesChanged e) => this with { TriageRules = e.Rules };

    public Programme Apply(DutyRotaChanged e) => this with { DutyRota = e.Rota };

    public Programme Apply(ServiceLevelsChanged e) => this with { ServiceLevels = e.ServiceLevels };

    public Programme Apply(LinkWorkerConfigured e) => this with
    {
        LinkWorkers = [.. LinkWorkers.Where(w => w.LinkWorkerId != e.Worker.LinkWorkerId), e.Worker],
    };

    public Programme Apply(LinkWorkerRetired e) => this with
    {
        LinkWorkers = LinkWorkers.Select(w => w.LinkWorkerId == e.LinkWorkerId ? w with { Active = false } : w).ToList(),
    };
}
