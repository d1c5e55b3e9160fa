namespace Referrals.Intake.ExecutingErasure;

/// <summary>Intake shredded its copy of the person's personal data and published <c>PersonErased</c> to the other services.</summary>
public sealed record ErasureExecuted(Guid ErasureRequestId, Guid PersonId, DateTimeOffset ExecutedAt);
