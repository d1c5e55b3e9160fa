using System.ComponentModel.DataAnnotations;

namespace Referrals.SupportPlan;

/// <summary>Programme-wide settings of the journey (configuration section "SupportPlan").</summary>
public sealed class SupportPlanOptions
{
    public const string Section = "SupportPlan";

    /// <summary>A re-referral within this many days of the previous journey's closure reopens that journey.</summary>
    [Range(0, 3650)]
    public int ReReferralWindowDays { get; set; } = 90;

    /// <summary>No contact with the person for this many weeks makes the journey dormant (never closed).</summary>
    [Range(1, 104)]
    public int DormancyWeeks { get; set; } = 12;

    /// <summary>Minutes after a home visit's expected end before the overdue check-out alert is raised.</summary>
    [Range(0, 240)]
    public int LoneWorkingGraceMinutes { get; set; }

    /// <summary>Failed contact attempts (did not attend, unable to contact) before "unable to contact" is a valid closure reason.</summary>
    [Range(1, 20)]
    public int UnableToContactAttempts { get; set; } = 3;

    /// <summary>
    /// Minutes support-plan waits for triage to confirm it received a safeguarding concern before flagging it to the team and
    /// sending it again; each later round waits twice as long as the one before, up to <see cref="ConcernConfirmationMaxMinutes"/>.
    /// A fraction of a minute (from a quarter) is allowed so that tests of the check need not wait a whole minute; shorter would
    /// flag concerns the duty team is about to confirm and teach people to ignore the flag.
    /// </summary>
    [Range(0.25, 1440)]
    public double ConcernConfirmationMinutes { get; set; } = 5;

    /// <summary>The longest wait between two checks of an unconfirmed concern (the doubling stops here; every round still flags it).</summary>
    [Range(1, 1440)]
    public int ConcernConfirmationMaxMinutes { get; set; } = 60;

    /// <summary>
    /// Days a link worker triage's duty chain asked about an escalation may read the journey working from the escalated referral
    /// (HAZ-001 C15), counted from when support-plan heard they were asked: long enough to reach the person and follow up, short
    /// enough that a one-off duty shift does not become standing access.
    /// </summary>
    [Range(1, 30)]
    public int DutyWorkerReadDays { get; set; } = 7;

    public JourneyPolicy ToPolicy() => new(TimeSpan.FromDays(ReReferralWindowDays), TimeSpan.FromDays(7 * DormancyWeeks),
        TimeSpan.FromMinutes(LoneWorkingGraceMinutes), UnableToContactAttempts)
    {
        DutyWorkerRead = TimeSpan.FromDays(DutyWorkerReadDays),
        ConcernConfirmationWait = TimeSpan.FromMinutes(ConcernConfirmationMinutes),
        ConcernConfirmationMaxWait = TimeSpan.FromMinutes(Math.Max(ConcernConfirmationMinutes, ConcernConfirmationMaxMinutes)),
    };
}

/// <summary>The configurable rules the deciders apply, as plain values so the deciders stay pure.</summary>
public sealed record JourneyPolicy(TimeSpan ReReferralWindow, TimeSpan DormantAfter, TimeSpan LoneWorkingGrace, int UnableToContactAttempts)
{
    /// <summary>How long triage has to confirm a safeguarding concern before it is flagged and sent again.</summary>
    public TimeSpan ConcernConfirmationWait { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The cap on the doubling wait between checks of a concern triage still has not confirmed.</summary>
    public TimeSpan ConcernConfirmationMaxWait { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long a duty worker asked about an escalation may read the journey (HAZ-001 C15).</summary>
    public TimeSpan DutyWorkerRead { get; init; } = TimeSpan.FromDays(7);

    public static JourneyPolicy Default { get; } = new SupportPlanOptions().ToPolicy();
}
