namespace Referrals.Triage.Common;

/// <summary>Marks the service's domain events, so the event store registers exactly these (and nothing else) by namespace.</summary>
public interface ITriageEvent;
