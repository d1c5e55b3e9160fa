namespace Referrals.Intake.ConfirmingTriage;

/// <summary>
/// Triage's receipt (<c>LinkedReferralReceived</c>) for the referral's linking to <see cref="JourneyId"/> arrived: triage read it
/// for risk (HAZ-001 C18), and opened <see cref="EscalationId"/> or found nothing to escalate. The linking's check stops.
/// </summary>
public sealed record LinkedReferralTriageReceiptRecorded(
    Guid ReferralId,
    Guid PersonId,
    Guid JourneyId,
    Guid? EscalationId,
    DateTimeOffset ReceivedAt,
    DateTimeOffset RecordedAt);

/// <summary>
/// Check <see cref="Round"/> found no receipt from triage for the referral's linking to <see cref="JourneyId"/> (HAZ-001 C18).
/// Intake sent triage the linked referral again, with its first MessageId. <see cref="FinalCheck"/>: the last round the
/// settings allow; no further check is made, and the error is left to people (log and counter).
/// </summary>
public sealed record LinkedReferralTriageReceiptOverdue(
    Guid ReferralId,
    Guid PersonId,
    Guid JourneyId,
    int Round,
    DateTimeOffset LinkedAt,
    bool FinalCheck,
    DateTimeOffset FlaggedAt);

/// <summary>
/// The referral's latest linking to an open journey, as intake published it to triage, and whether triage has sent its
/// receipt: <see cref="ReceivedAt"/> null while it has not; <see cref="Overdue"/> the checks that found it missing.
/// </summary>
public sealed record LinkedTriageReceipt(
    Guid JourneyId,
    DateTimeOffset LinkedAt,
    DateTimeOffset? ReceivedAt,
    Guid? EscalationId,
    TriageConfirmationOverdue? Overdue);
