using Referrals.Triage.Common;

namespace Referrals.Triage.Worklists;

/// <summary>The worker accepted the assignment (the worker's response, not the person's decision, which support-plan records).</summary>
public sealed record AssignmentAcceptedByWorker(
    Guid ReferralId,
    Guid PersonId,
    Guid AssignmentId,
    string ProgrammeId,
    string LinkWorkerId,
    Guid JourneyId,
    Guid? RegisteredJourneyId,
    DateTimeOffset AcceptedAt) : ITriageEvent;
