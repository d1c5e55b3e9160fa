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
    public void A_correction_leaves_the_practice_alone_and_neither_it_nor_an_older_referral_undoes_a_move_whatever_the_order()
    {
        var registered = Registered("A81001", T0);

        // A correction made after the move (day 3) but recorded before it: the move (day 2) still applies.
        var corrected = Details with { Phone = "07700 900123" };
        var correction = Fold(registered, PatientRecord.Decide(registered, PersonId, corrected, null, null, T0.AddDays(3)));
        Assert.Equal(("A81001", corrected), (correction.RegisteredPracticeOds, correction.Details));
        var moved = Fold(correction, PatientRecord.DecideMove(correction, OdsCode.Create("b82002"), T0.AddDays(2)));
        Assert.Equal("B82002", moved.RegisteredPracticeOds);

        // A referral made before the move, naming the old practice, recorded after it.
        var late = Fold(moved, PatientRecord.Decide(moved, PersonId, corrected, "A81001", null, T0.AddDays(1)));
        Assert.Equal(("B82002", corrected), (late.RegisteredPracticeOds, late.Details));

        // A referral made after the move, naming another practice, moves nobody: only a recorded move does.
        Assert.Empty(PatientRecord.Decide(late, PersonId, corrected, "C83003", null, T0.AddDays(4)));
    }

    [Fact]
    public void A_later_referral_naming_another_practice_never_moves_the_person_and_the_earliest_referral_s_practice_holds_whatever_the_order()
    {
        // The referral of day 4 is recorded first; the first referral (day 0) arrives late and its practice holds.
        var later = Registered("C83003", T0.AddDays(4));
        var first = Fold(later, PatientRecord.Decide(later, PersonId, Details, "A81001", null, T0));
        Assert.Equal("A81001", first.RegisteredPracticeOds);

        // Another referral, between the two or after both, naming another practice: nothing changes.
        Assert.Empty(PatientRecord.Decide(first, PersonId, Details, "B82002", null, T0.AddDays(2)));
        Assert.Empty(PatientRecord.Decide(first, PersonId, Details, "B82002", null, T0.AddDays(6)));

        // Newer details on a later referral are still taken; its practice is not.
        var renamed = Details with { FamilyName = "King" };
        var taken = Fold(first, PatientRecord.Decide(first, PersonId, renamed, "B82002", null, T0.AddDays(6)));
        Assert.Equal(("A81001", renamed), (taken.RegisteredPracticeOds, taken.Details));
    }

    [Fact]
    public void Moves_recorded_in_reverse_order_end_at_the_latest_and_a_repeat_or_an_erased_person_records_nothing()
    {
        // A to B on day 2, back to A on day 4; the second is recorded first. It is kept although A is already held.
        var registered = Registered("A81001", T0);
        var back = PatientRecord.DecideMove(registered, OdsCode.Create("A81001"), T0.AddDays(4));
        var record = Fold(registered, back);
        Assert.Empty(PatientRecord.DecideMove(record, OdsCode.Create("B82002"), T0.AddDays(2)));
        Assert.Equal("A81001", record.RegisteredPracticeOds);

        Assert.Empty(PatientRecord.DecideMove(record, OdsCode.Create("A81001"), T0.AddDays(4)));
        Assert.Empty(PatientRecord.DecideMove(record.Apply(new PatientErased(PersonId, T0.AddDays(5))), OdsCode.Create("C83003"), T0.AddDays(6)));
        Assert.Equal("C83003", Fold(record, PatientRecord.DecideMove(record, OdsCode.Create("C83003"), T0.AddDays(6))).RegisteredPracticeOds);
    }
}
