namespace Referrals.Intake.Retention;

/// <summary>The kinds of record whose retention runs separately (see docs/data-protection/dpia.md).</summary>
public enum RetentionRecordKind
{
    /// <summary>A referral that ended without care: not eligible, declined, or withdrawn before the person started.</summary>
    Referral,

    /// <summary>A referral whose journey ran with a link worker: part of the person's care record.</summary>
    CareRecord,
}

/// <summary>Configuration section <c>Intake:Retention</c>: how long each kind of record is kept after it ends.</summary>
public sealed class RetentionOptions
{
    /// <summary>Referrals that ended without care (draft: 2 years).</summary>
    public TimeSpan Referral { get; set; } = TimeSpan.FromDays(730);

    /// <summary>Care records (draft: 8 years after the end of care, as the NHS Records Management Code of Practice sets for adults).</summary>
    public TimeSpan CareRecord { get; set; } = TimeSpan.FromDays(2922);

    public TimeSpan PeriodOf(RetentionRecordKind kind) => kind switch
    {
        RetentionRecordKind.Referral => Referral,
        RetentionRecordKind.CareRecord => CareRecord,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
