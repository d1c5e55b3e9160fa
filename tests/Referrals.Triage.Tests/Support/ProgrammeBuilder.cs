using Referrals.Triage.Programmes;

namespace Referrals.Triage.Tests.Support;

/// <summary>Builds the Programme aggregate from a definition, as the store would, for pure tests.</summary>
public static class ProgrammeBuilder
{
    public static Programme Build(DefineProgramme d, long version = 7)
    {
        var programme = Programme.Create(new ProgrammeDefined(d.ProgrammeId, d.Name, "test", DateTimeOffset.UnixEpoch));
        programme = programme with
        {
            Eligibility = d.Eligibility ?? programme.Eligibility,
            TriageRules = d.TriageRules ?? programme.TriageRules,
            DutyRota = d.DutyRota ?? programme.DutyRota,
            ServiceLevels = d.ServiceLevels ?? programme.ServiceLevels,
            LinkWorkers = d.LinkWorkers ?? [],
        };
        programme.Version = version;
        return programme;
    }
}
