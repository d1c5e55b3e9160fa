using Referrals.Triage.Common;

namespace Referrals.Triage.ServiceLevels;

/// <summary>A service level clock started (or restarted after an override changed the priority).</summary>
public sealed record ServiceLevelSet(Guid ReferralId, string ServiceLevel, int WorkingDays, DateTimeOffset DueAt, string TimerKey,
    DateTimeOffset SetAt) : ITriageEvent;

/// <summary>The first contact with the person was recorded (support-plan): the first-contact service level is met.</summary>
public sealed record FirstContactRecorded(Guid ReferralId, Guid ContactId, DateTimeOffset OccurredAt) : ITriageEvent;

public sealed record ServiceLevelMissed(Guid ReferralId, string ServiceLevel, DateTimeOffset DueAt, DateTimeOffset BreachedAt) : ITriageEvent;
