using Referrals.Contracts;

namespace Referrals.Intake.People;

/// <summary>
/// A referral's identifying details differ from those held for its NHS number (HAZ-003 C3). <see cref="Linked"/> says
/// whether the referral was still linked to the person held: only when the referrer confirmed that it is the same person.
/// </summary>
public sealed record IdentityMismatch(IReadOnlyList<string> Fields, bool Linked);

/// <summary>
/// Compares a referral's date of birth and family name with those held for the person its NHS number indexes. A mistyped
/// NHS number can pass Modulus 11 and name someone else; a referral that matches them by number only must not be linked
/// silently.
/// </summary>
public static class IdentityCheck
{
    public const string DateOfBirth = "dateOfBirth";
    public const string FamilyName = "familyName";

    /// <summary>The person indexed has no details held (their erasure is under way): nothing to compare with.</summary>
    public const string NothingHeld = "nothingHeld";

    /// <summary>The header by which a referrer confirms that differing details are still the same person.</summary>
    public const string ConfirmationHeader = "Referrals-Identity-Confirmed";

    /// <summary>Says what to check and how to confirm, and nothing of the details held.</summary>
    public const string RefusalMessage =
        "The date of birth or family name differs from the details held for this NHS number. Check the NHS number against " +
        "the person's record. If the details are right (for example after a change of name), send the referral again with the " +
        "header " + ConfirmationHeader + ": true.";

    /// <summary>
    /// The fields that differ. Family names are compared by their letters only, ignoring case, so "O'Brien", "OBrien" and
    /// "o brien" are one name; anything else (a new surname, another spelling) is for a person to confirm.
    /// </summary>
    public static IReadOnlyList<string> Differences(PersonDetails held, PersonDetails submitted)
    {
        var fields = new List<string>();
        if (held.DateOfBirth != submitted.DateOfBirth)
        {
            fields.Add(DateOfBirth);
        }

        if (!string.Equals(Letters(held.FamilyName), Letters(submitted.FamilyName), StringComparison.Ordinal))
        {
            fields.Add(FamilyName);
        }

        return fields;
    }

    private static string Letters(string name) => string.Concat(name.Where(char.IsLetter).Select(char.ToUpperInvariant));
}
