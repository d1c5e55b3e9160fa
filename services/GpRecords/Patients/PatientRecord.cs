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

    /// <summary>When the statement behind <see cref="RegisteredPracticeOds"/> was made: a referral's, or a move's.</summary>
    public DateTimeOffset PracticeSetAt { get; init; }

    /// <summary>When the latest recorded move was made; null while the practice is the one the first referral named.</summary>
    public DateTimeOffset? MovedAt { get; init; }

    public bool Erased { get; init; }

    /// <summary>The validated NHS number, or null when missing, invalid or erased.</summary>
    public string? NhsNumber =>
        Details?.NhsNumber is { } raw && SharedKernel.NhsNumber.TryCreate(raw, out var number, out _) ? number.Value.Value : null;

    public static PatientRecord Create(PatientDetailsRecorded e) => new PatientRecord { Id = e.PersonId }.Apply(e);

    /// <summary>The details take the event when it is as new as those held; the practice by <see cref="PracticeRules"/>.</summary>
    public PatientRecord Apply(PatientDetailsRecorded e)
    {
        var record = e.RecordedAt < RecordedAt ? this : this with { Details = e.Details, RecordedAt = e.RecordedAt };
        return e.RegisteredPracticeOds is { } practice && PracticeRules.TakesReferralPractice(RegisteredPracticeOds, PracticeSetAt, MovedAt, e.RecordedAt)
            ? record with { RegisteredPracticeOds = practice, PracticeSetAt = e.RecordedAt }
            : record;
    }

    public PatientRecord Apply(PatientRegisteredPracticeChanged e) => PracticeRules.TakesMove(MovedAt, e.ChangedAt)
        ? this with { RegisteredPracticeOds = e.RegisteredPracticeOds, PracticeSetAt = e.ChangedAt, MovedAt = e.ChangedAt }
        : this;

    public PatientRecord Apply(PatientErased e) => this with { Id = e.PersonId, Details = null, Erased = true };

    /// <summary>
    /// Pure decision: what to record when intake reports the person's details, with the practice a referral names, or
    /// none (<paramref name="practiceOds"/> null) for a correction, which leaves the practice as it is. Recorded when the
    /// details are newer and differ, or the referral is earlier than the one whose practice is held and no move is recorded
    /// (even naming the same practice, so that a referral between the two cannot take its place).
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
        var earlierReferral = practice is not null &&
                              PracticeRules.TakesReferralPractice(current.RegisteredPracticeOds, current.PracticeSetAt, current.MovedAt, at);
        return !current.Erased && (newerDetails || earlierReferral)
            ? [new PatientDetailsRecorded(personId, details, practice, nhsNumberIndex, at)]
            : [];
    }

    /// <summary>
    /// Pure decision: what to record when intake reports that the person moved practice. A move to the practice already
    /// held is recorded too when it is newer, so that an older move arriving later (A to B, then back to A, delivered in
    /// reverse) cannot override it; an erased person, an older move, or the same move again records nothing.
    /// </summary>
    public static IReadOnlyList<object> DecideMove(PatientRecord current, OdsCode practice, DateTimeOffset at) =>
        !current.Erased && (current.MovedAt is not { } moved || at > moved ||
                            (at == moved && !string.Equals(practice.Value, current.RegisteredPracticeOds, StringComparison.OrdinalIgnoreCase)))
            ? [new PatientRegisteredPracticeChanged(current.Id, practice.Value, at)]
            : [];
}

/// <summary>
/// Where the person is registered, as gp-records routes their records and serves them (HAZ-004 C4). The first referral's
/// practice holds until a move is recorded through intake's checked endpoint; a later referral naming another practice
/// changes nothing, since anyone who can refer the person (a self-referrer included) could otherwise send their GP
/// record to a practice of their choosing. The earliest referral is the first, whatever order the messages arrive in.
/// Moves are ordered among themselves by when they were made.
/// </summary>
public static class PracticeRules
{
    public static bool TakesReferralPractice(string held, DateTimeOffset heldSince, DateTimeOffset? movedAt, DateTimeOffset statedAt) =>
        movedAt is null && (held.Length == 0 || statedAt < heldSince);

    public static bool TakesMove(DateTimeOffset? movedAt, DateTimeOffset movedAtNow) => movedAt is not { } latest || movedAtNow >= latest;
}
