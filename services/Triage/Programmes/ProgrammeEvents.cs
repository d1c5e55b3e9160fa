using Referrals.Triage.Common;

namespace Referrals.Triage.Programmes;

// Programme configuration is event-sourced: the stream version is the configuration version every decision records.

public sealed record ProgrammeDefined(string ProgrammeId, string Name, string DefinedBy, DateTimeOffset DefinedAt) : ITriageEvent;

public sealed record EligibilityRulesChanged(string ProgrammeId, EligibilityRules Rules, string ChangedBy, DateTimeOffset ChangedAt) : ITriageEvent;

public sealed record TriageRulesChanged(string ProgrammeId, TriageRules Rules, string ChangedBy, DateTimeOffset ChangedAt) : ITriageEvent;

public sealed record DutyRotaChanged(string ProgrammeId, DutyRota Rota, string ChangedBy, DateTimeOffset ChangedAt) : ITriageEvent;

public sealed record ServiceLevelsChanged(string ProgrammeId, ServiceLevelTargets ServiceLevels, string ChangedBy, DateTimeOffset ChangedAt) : ITriageEvent;

/// <summary>A link worker joined the programme or their tier, practices or capacity changed.</summary>
public sealed record LinkWorkerConfigured(string ProgrammeId, LinkWorkerProfile Worker, string ChangedBy, DateTimeOffset ChangedAt) : ITriageEvent;

/// <summary>A link worker left the programme: no new work; their current caseload stays until a team lead reassigns it.</summary>
public sealed record LinkWorkerRetired(string ProgrammeId, string LinkWorkerId, string ChangedBy, DateTimeOffset ChangedAt) : ITriageEvent;
