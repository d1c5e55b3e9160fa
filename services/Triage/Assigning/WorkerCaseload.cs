using System.Text.Json.Serialization;
using Referrals.Contracts;
using Referrals.EventStore;
using Referrals.Triage.Worklists;

namespace Referrals.Triage.Assigning;

/// <summary>A referral a worker currently carries (offered or accepted).</summary>
public sealed record CaseloadEntry(Guid ReferralId, Guid AssignmentId, Priority Priority, bool Escalated, bool Accepted, DateTimeOffset AssignedAt);

/// <summary>A person taken on (or offered) in the last year, for the yearly intake limit.</summary>
public sealed record IntakeEntry(Guid ReferralId, DateTimeOffset At);

/// <summary>
/// A worker's capacity bookkeeping in a programme: what they carry now (active caseload) and whom they took on in the
/// last twelve months (yearly intake). An inline projection of the assignment events, updated in the same transaction as
/// each assignment, so the allocator (which holds the programme's lock) always sees committed, exact figures.
/// </summary>
public sealed record WorkerCaseload(string Id, string ProgrammeId, string LinkWorkerId, IReadOnlyList<CaseloadEntry> Active,
    IReadOnlyList<IntakeEntry> Intake)
{
    public static readonly TimeSpan IntakeWindow = TimeSpan.FromDays(365);

    public const string Programme = "data->>'programmeId'";

    public const string InProgramme = Programme + " = ?";

    public static string KeyOf(string programmeId, string linkWorkerId) => programmeId + "/" + linkWorkerId;

    public static WorkerCaseload Empty(string programmeId, string linkWorkerId) =>
        new(KeyOf(programmeId, linkWorkerId), programmeId, linkWorkerId, [], []);

    [JsonIgnore]
    public int ActiveCaseload => Active.Count;

    public int YearlyIntake(DateTimeOffset now) => Intake.Count(i => i.At > now - IntakeWindow);

    public static WorkerCaseload Create(WorkerAssigned e) => Empty(e.ProgrammeId, e.LinkWorkerId).Apply(e);

    public WorkerCaseload Apply(WorkerAssigned e) => this with
    {
        Active = [.. Active.Where(a => a.ReferralId != e.ReferralId),
            new CaseloadEntry(e.ReferralId, e.AssignmentId, e.Needs.Priority, e.Escalated, false, e.AssignedAt)],
        Intake = [.. Intake.Where(i => i.ReferralId != e.ReferralId && i.At > e.AssignedAt - IntakeWindow), new IntakeEntry(e.ReferralId, e.AssignedAt)],
    };

    public WorkerCaseload Apply(AssignmentAcceptedByWorker e) => this with
    {
        Active = Active.Select(a => a.ReferralId == e.ReferralId ? a with { Accepted = true } : a).ToList(),
    };

    public WorkerCaseload Apply(AssignmentEnded e) => this with
    {
        Active = Active.Where(a => a.ReferralId != e.ReferralId).ToList(),
        Intake = e.WasAccepted ? Intake : Intake.Where(i => i.ReferralId != e.ReferralId).ToList(),
    };
}

/// <summary>Routes assignment events to the caseload of the worker they name.</summary>
public sealed class WorkerCaseloadProjection : MultiStreamProjection<WorkerCaseload, string>
{
    public WorkerCaseloadProjection()
    {
        Identity<WorkerAssigned>(e => WorkerCaseload.KeyOf(e.ProgrammeId, e.LinkWorkerId));
        Identity<AssignmentAcceptedByWorker>(e => WorkerCaseload.KeyOf(e.ProgrammeId, e.LinkWorkerId));
        Identity<AssignmentEnded>(e => WorkerCaseload.KeyOf(e.ProgrammeId, e.LinkWorkerId));
    }
}
