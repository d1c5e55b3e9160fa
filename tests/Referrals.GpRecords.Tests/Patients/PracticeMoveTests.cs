using Referrals.Contracts;
using Referrals.GpRecords.Patients;
using Referrals.SharedKernel;

namespace Referrals.GpRecords.Tests.Patients;

/// <summary>The patient's registered practice after a move, whatever order the messages about the person arrive in (HAZ-004 C4).</summary>
public sealed class PracticeMoveTests
{
    private static readonly Guid PersonId = Guid.NewGuid();
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private static readonly PersonDetails Details = new("9434765919", "Ada", "Lovelace", new DateOnly(1950, 1, 1), "LS1 1AA", null, null,
        ContactMethod.Phone, null, null);

    private static PatientRecord Registered(string practice, DateTimeOffset at) =>
        PatientRecord.Create(new PatientDetailsRecorded(PersonId, Details, practice, null, at));

    private static PatientRecord Fold(PatientRecord record, IEnumerable<object> events) =>
        events.Aggregate(record, (r, e) => (PatientRecord)((dynamic)r).Apply((dynamic)e));

    [Fact]
    public void A_move_sets_the_new_practice_and_a_late_correction_or_referral_from_before_it_does_not_undo_it()
    {
        var moved = Fold(Registered("A81001", T0), PatientRecord.DecideMove(Registered("A81001", T0), OdsCode.Create("b82002"), T0.AddDays(2)));
        Assert.Equal("B82002", moved.RegisteredPracticeOds);

        // A correction made before the move, and an earlier referral naming the old practice, both arriving after it.
        var corrected = Details with { Phone = "07700 900123" };
        var late = Fold(moved, PatientRecord.Decide(moved, PersonId, corrected, "A81001", null, T0.AddDays(1)));
        Assert.Equal("B82002", late.RegisteredPracticeOds);
        Assert.Equal(corrected, late.Details);

        // A referral made after the move names the practice the person is at by then.
        var rereferred = Fold(late, PatientRecord.Decide(late, PersonId, corrected, "C83003", null, T0.AddDays(3)));
        Assert.Equal("C83003", rereferred.RegisteredPracticeOds);
    }

    [Fact]
    public void A_move_older_than_the_practice_held_to_the_practice_held_or_of_an_erased_person_records_nothing()
    {
        var record = Fold(Registered("A81001", T0), [new PatientRegisteredPracticeChanged(PersonId, "B82002", T0.AddDays(2))]);

        Assert.Empty(PatientRecord.DecideMove(record, OdsCode.Create("C83003"), T0.AddDays(1)));
        Assert.Empty(PatientRecord.DecideMove(record, OdsCode.Create("B82002"), T0.AddDays(3)));
        Assert.Empty(PatientRecord.DecideMove(record.Apply(new PatientErased(PersonId, T0.AddDays(3))), OdsCode.Create("C83003"), T0.AddDays(4)));
        Assert.Single(PatientRecord.DecideMove(record, OdsCode.Create("C83003"), T0.AddDays(3)));
    }
}
