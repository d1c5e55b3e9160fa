namespace Referrals.Intake.ConfirmingTriage;

/// <summary>
/// Configuration section <c>Intake:TriageConfirmation</c>: when intake checks that triage has triaged a referral it published
/// as <c>ReferralSubmitted</c>, and how many times it checks before leaving it to people.
/// </summary>
public sealed class TriageConfirmationOptions
{
    /// <summary>The wait before each check, for a routine referral with no risk answer.</summary>
    public TimeSpan CheckAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The wait before each check, for a referral that is urgent or has any risk answer or risk notes.</summary>
    public TimeSpan CheckAfterWhenAtRisk { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How many checks at most; the last one that finds the referral not triaged logs an error and stops.</summary>
    public int MaxRounds { get; set; } = 6;
}
