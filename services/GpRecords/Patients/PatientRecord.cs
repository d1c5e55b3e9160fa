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

    public PatientRecord Apply(PatientDetailsRecorded e) => e.RecordedAt < RecordedAt
        ? this
        : this with
        {
            Details = e.Details,
            RecordedAt = e.RecordedAt,
            RegisteredPracticeOds = e.RecordedAt < PracticeSetAt ? RegisteredPracticeOds : e.RegisteredPracticeOds,
            PracticeSetAt = e.RecordedAt < PracticeSetAt ? PracticeSetAt : e.RecordedAt,
        };

    public PatientRecord Apply(PatientRegisteredPracticeChanged e) => e.ChangedAt < PracticeSetAt
        ? this
        : this with { RegisteredPracticeOds = e.RegisteredPracticeOds, PracticeSetAt = e.ChangedAt };

    public PatientRecord Apply(PatientErased e) => this with { Id = e.PersonId, Details = null, Erased = true };

    /// <summary>Pure decision: what to record when intake reports the person's details.</summary>
    public static IReadOnlyList<object> Decide(PatientRecord? current, Guid personId, PersonDetails? details, string practiceOds, string? nhsNumberIndex,
        DateTimeOffset at)
    {
        if (!OdsCode.TryCreate(practiceOds, out var ods, out _))
        {
            return [];
        }

        if (current is not null && (current.Erased || at < current.RecordedAt ||
                                    (current.Details == details && current.RegisteredPracticeOds == ods.Value.Value)))
        {
            return [];
        }

        return [new PatientDetailsRecorded(personId, details, ods.Value.Value, nhsNumberIndex, at)];
    }

    /// <summary>
    /// Pure decision: what to record when intake reports that the person moved practice. An erased person, a move older
    /// than the practice already held, or the practice already held records nothing.
    /// </summary>
    public static IReadOnlyList<object> DecideMove(PatientRecord current, OdsCode practice, DateTimeOffset at) =>
        current.Erased || at < current.PracticeSetAt || current.RegisteredPracticeOds == practice.Value
            ? []
            : [new PatientRegisteredPracticeChanged(current.Id, practice.Value, at)];
}
