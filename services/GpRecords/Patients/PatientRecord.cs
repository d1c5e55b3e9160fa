using Referrals.Contracts;
using Referrals.SharedKernel;

namespace Referrals.GpRecords.Patients;

/// <summary>The person as gp-records knows them (stream id = PersonId).</summary>
public sealed record PatientRecord
{
    public Guid Id { get; init; }

    public PersonDetails? Details { get; init; }

    public string RegisteredPracticeOds { get; init; } = "";

    public DateTimeOffset RecordedAt { get; init; }

    /// <summary>
    /// As of when <see cref="RegisteredPracticeOds"/> holds: a move is ordered against the referrals and corrections that
    /// also carry a practice by this time, separately from the details, so a late message of either kind cannot undo a
    /// later one of the other.
    /// </summary>
    public DateTimeOffset PracticeSetAt { get; init; }

    public bool Erased { get; init; }

    /// <summary>The validated NHS number, or null when missing, invalid or erased.</summary>
    public string? NhsNumber =>
        Details?.NhsNumber is { } raw && SharedKernel.NhsNumber.TryCreate(raw, out var number, out _) ? number.Value.Value : null;

    public static PatientRecord Create(PatientDetailsRecorded e) => new PatientRecord { Id = e.PersonId }.Apply(e);

    /// <summary>The details and the practice each take the event only when it is as new as what they hold.</summary>
    public PatientRecord Apply(PatientDetailsRecorded e)
    {
        var record = e.RecordedAt < RecordedAt ? this : this with { Details = e.Details, RecordedAt = e.RecordedAt };
        return e.RegisteredPracticeOds is { } practice && e.RecordedAt >= PracticeSetAt
            ? record with { RegisteredPracticeOds = practice, PracticeSetAt = e.RecordedAt }
            : record;
    }

    public PatientRecord Apply(PatientRegisteredPracticeChanged e) => e.ChangedAt < PracticeSetAt
        ? this
        : this with { RegisteredPracticeOds = e.RegisteredPracticeOds, PracticeSetAt = e.ChangedAt };

    public PatientRecord Apply(PatientErased e) => this with { Id = e.PersonId, Details = null, Erased = true };

    /// <summary>
    /// Pure decision: what to record when intake reports the person's details, with the practice a referral names, or
    /// none (<paramref name="practiceOds"/> null) for a correction, which leaves the practice as it is. Recorded when the
    /// details are newer and differ, or the practice statement is newer than the one held (even naming the same practice,
    /// so that an older move arriving late cannot override it).
    /// </summary>
    public static IReadOnlyList<object> Decide(PatientRecord? current, Guid personId, PersonDetails? details, string? practiceOds,
        string? nhsNumberIndex, DateTimeOffset at)
    {
        string? practice = null;
        if (practiceOds is not null)
        {
            if (!OdsCode.TryCreate(practiceOds, out var ods, out _))
            {
                return [];
            }

            practice = ods.Value.Value;
        }

        if (current is null)
        {
            return practice is null ? [] : [new PatientDetailsRecorded(personId, details, practice, nhsNumberIndex, at)];
        }

        var newerDetails = at >= current.RecordedAt && current.Details != details;
        var newerPractice = practice is not null && IsNewerPractice(current, practice, at);
        return !current.Erased && (newerDetails || newerPractice)
            ? [new PatientDetailsRecorded(personId, details, practice, nhsNumberIndex, at)]
            : [];
    }

    /// <summary>
    /// Pure decision: what to record when intake reports that the person moved practice. A move to the practice already
    /// held is recorded too when it is newer, so that an older move arriving later (A to B, then back to A, delivered in
    /// reverse) cannot override it; an erased person, an older move, or the same move again records nothing.
    /// </summary>
    public static IReadOnlyList<object> DecideMove(PatientRecord current, OdsCode practice, DateTimeOffset at) =>
        !current.Erased && IsNewerPractice(current, practice.Value, at)
            ? [new PatientRegisteredPracticeChanged(current.Id, practice.Value, at)]
            : [];

    private static bool IsNewerPractice(PatientRecord current, string practice, DateTimeOffset at) =>
        at > current.PracticeSetAt ||
        (at == current.PracticeSetAt && !string.Equals(practice, current.RegisteredPracticeOds, StringComparison.OrdinalIgnoreCase));
}
