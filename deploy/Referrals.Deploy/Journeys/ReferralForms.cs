using System.Globalization;
using System.Text.Json.Nodes;

namespace Referrals.Deploy.Journeys;

/// <summary>Realistic referral bodies for the demo, end-to-end tests and the load benchmark.</summary>
public static class ReferralForms
{
    private static readonly string[] GivenNames = ["Maureen", "Tariq", "Siobhan", "Derek", "Priya", "Aled", "Grace", "Kwame", "Eileen", "Bartosz"];
    private static readonly string[] FamilyNames = ["O'Brien", "Hussain", "Kelly", "Walsh", "Patel", "Jones", "Okafor", "Mensah", "Nowak", "Lister"];

    /// <summary>A random NHS number that passes the Modulus 11 check and is not one digit repeated.</summary>
    public static string NewNhsNumber()
    {
        while (true)
        {
            var digits = new int[9];
            digits[0] = Random.Shared.Next(4, 10);
            for (var i = 1; i < 9; i++)
            {
                digits[i] = Random.Shared.Next(10);
            }

            var sum = digits.Select((d, i) => d * (10 - i)).Sum();
            var check = 11 - (sum % 11);
            // Nine equal digits always check as that digit again: a repdigit, refused as a placeholder.
            if (check == 10 || digits.All(d => d == digits[0]))
            {
                continue;
            }

            return string.Concat(digits) + (check == 11 ? 0 : check).ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>A GP referral from <paramref name="practice"/> for a person registered there.</summary>
    public static JsonObject GpReferral(string practice = "B86001", string programme = "north-leeds", string? nhsNumber = null,
        string? givenName = null, string? familyName = null, bool riskOfHarmToSelf = false, string? riskNotes = null,
        string sharingScope = "Full")
    {
        // One NHS number is one person: their name and date of birth follow from it, so referring the same number again
        // is the same person to intake's identity check (HAZ-003 C3).
        nhsNumber ??= NewNhsNumber();
        var person = new Random((int)(long.Parse(string.Concat(nhsNumber.Where(char.IsAsciiDigit)), CultureInfo.InvariantCulture) % int.MaxValue));
        var given = givenName ?? GivenNames[person.Next(GivenNames.Length)];
        var family = familyName ?? FamilyNames[person.Next(FamilyNames.Length)];
        return new JsonObject
        {
            ["person"] = new JsonObject
            {
                ["nhsNumber"] = nhsNumber,
                ["givenName"] = given,
                ["familyName"] = family,
                ["dateOfBirth"] = new DateOnly(1940 + person.Next(45), 1 + person.Next(12), 1 + person.Next(28)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["postcode"] = "LS6 2AB",
                ["phone"] = "07700 900" + person.Next(100, 999).ToString(CultureInfo.InvariantCulture),
                ["preferredContactMethod"] = "Phone",
            },
            ["registeredPracticeOds"] = practice,
            ["referrer"] = new JsonObject
            {
                ["organisationId"] = practice,
                ["professionalName"] = "Dr Amina Shah",
                ["professionalRole"] = "GP",
                ["professionalContact"] = "0113 496 0000",
            },
            ["programme"] = programme,
            ["needs"] = new JsonArray("LonelinessOrIsolation", "MentalWellbeing"),
            ["reasonText"] = "Lives alone since bereavement; rarely leaves the house.",
            ["whatMatters"] = "Getting back to the allotment and seeing people again.",
            ["risk"] = new JsonObject
            {
                ["riskOfHarmToSelf"] = riskOfHarmToSelf,
                ["riskOfHarmToOthers"] = false,
                ["safeguardingConcern"] = false,
                ["risksToVisitingWorker"] = false,
                ["notes"] = riskNotes,
            },
            ["urgency"] = riskOfHarmToSelf ? "Urgent" : "Routine",
            ["hasLongTermCondition"] = true,
            ["isCarer"] = false,
            ["consent"] = new JsonObject
            {
                ["authority"] = "Person",
                ["givenBy"] = $"{given} {family}",
                ["givenAt"] = DateTimeOffset.UtcNow.AddMinutes(-30).ToString("O", CultureInfo.InvariantCulture),
                ["recordedBy"] = "Dr Amina Shah",
                ["sharingScope"] = sharingScope,
            },
        };
    }
}
