using Referrals.SharedKernel;

namespace Referrals.Intake.ChangingRegisteredPractice;

/// <summary>Record that the person is now registered at another GP practice (a move, not a correction; HAZ-004 C4).</summary>
public sealed record ChangeRegisteredPractice(Guid PersonId, OdsCode RegisteredPractice, string ChangedBy);

/// <summary>A referral took the person's new registered practice.</summary>
public sealed record RegisteredPracticeRecorded(
    Guid ReferralId,
    Guid PersonId,
    string RegisteredPracticeOds,
    string RecordedBy,
    DateTimeOffset RecordedAt);
