namespace Referrals.Intake.ConfirmingTriage;

/// <summary>
/// Check <see cref="Round"/> found the referral still not triaged: triage has not confirmed it (HAZ-001, HAZ-007). Intake
/// sent it to triage again, with its first MessageId. <see cref="FinalCheck"/>: the last round the settings allow; no
/// further check is made, and the error is left to people (log and counter).
/// </summary>
public sealed record ReferralTriageConfirmationOverdue(
    Guid ReferralId,
    Guid PersonId,
    int Round,
    DateTimeOffset SubmittedAt,
    bool FinalCheck,
    DateTimeOffset FlaggedAt);

/// <summary>What the referral shows of triage confirmation checks that found it not triaged.</summary>
public sealed record TriageConfirmationOverdue(int Checks, DateTimeOffset LastFlaggedAt, bool ChecksStopped);
