using System.Globalization;
using System.Text.Json.Nodes;

namespace Referrals.Intake.Tests;

/// <summary>Valid referrals to start from; tests change one thing at a time.</summary>
public static class TestData
{
    public const string Practice = "B86001";
    public const string OtherPractice = "B86002";
    public const string Programme = "north-leeds";
    public const string Agency = "AGY-LEEDS-HOUSING";

    /// <summary>A random valid NHS number: its Modulus 11 check digit is right and it is not a repdigit (so each test has its own person).</summary>
    public static string NhsNumber()
    {
        while (true)
        {
            var digits = new int[9];
            digits[0] = Random.Shared.Next(1, 10);
            for (var i = 1; i < 9; i++)
            {
                digits[i] = Random.Shared.Next(0, 10);
            }

            var check = 11 - (digits.Select((d, i) => d * (10 - i)).Sum() % 11);
            if (check == 11)
            {
                check = 0;
            }

            // Nine equal digits always check as that digit again: a repdigit, refused as a placeholder.
            if (check != 10 && !digits.All(d => d == digits[0]))
            {
                return string.Concat(digits.Select(d => d.ToString(CultureInfo.InvariantCulture))) + check.ToString(CultureInfo.InvariantCulture);
            }
        }
    }

    /// <summary>An NHS number with a wrong check digit.</summary>
    public static string InvalidNhsNumber()
    {
        var valid = NhsNumber();
        var last = (valid[9] - '0' + 1) % 10;
        return valid[..9] + last.ToString(CultureInfo.InvariantCulture);
    }

    public static JsonObject Referral(string? nhsNumber = null, string referrerOds = Practice, string practice = Practice,
        string programme = Programme, DateTimeOffset? consentGivenAt = null) => new()
    {
        ["person"] = new JsonObject
        {
            ["nhsNumber"] = nhsNumber ?? NhsNumber(),
            ["givenName"] = "Aoife",
            ["familyName"] = "O'Brien",
            ["dateOfBirth"] = "1958-03-14",
            ["postcode"] = "LS7 3JB",
            ["phone"] = "0113 496 0000",
            ["email"] = "aoife.obrien@example.org",
            ["preferredContactMethod"] = "Phone",
            ["interpreterLanguage"] = "Irish",
            ["accessibilityNeeds"] = "Large print letters, please.",
        },
        ["registeredPracticeOds"] = practice,
        ["referrer"] = new JsonObject
        {
            ["organisationId"] = referrerOds,
            ["professionalName"] = "Dr Priya Shah",
            ["professionalRole"] = "GP",
            ["professionalContact"] = "0113 496 0999",
        },
        ["programme"] = programme,
        ["needs"] = new JsonArray("LonelinessOrIsolation", "MentalWellbeing"),
        ["reasonText"] = "Widowed last year; rarely leaves the house.",
        ["whatMatters"] = "Getting back to the allotment.",
        ["risk"] = new JsonObject
        {
            ["riskOfHarmToSelf"] = false,
            ["riskOfHarmToOthers"] = false,
            ["safeguardingConcern"] = false,
            ["risksToVisitingWorker"] = false,
            ["notes"] = "None known.",
        },
        ["urgency"] = "Routine",
        ["consent"] = new JsonObject
        {
            ["authority"] = "Person",
            ["givenBy"] = "Aoife O'Brien",
            ["givenAt"] = (consentGivenAt ?? DateTimeOffset.UtcNow.AddHours(-1)).ToString("O", CultureInfo.InvariantCulture),
            ["recordedBy"] = "Dr Priya Shah",
            ["sharingScope"] = "Full",
        },
        ["hasLongTermCondition"] = true,
        ["isCarer"] = false,
    };

    public static JsonObject SelfReferral(string? nhsNumber = null, bool atRisk = false) => new()
    {
        ["person"] = new JsonObject
        {
            ["nhsNumber"] = nhsNumber,
            ["givenName"] = "Sam",
            ["familyName"] = "Okafor",
            ["dateOfBirth"] = "1990-07-01",
            ["postcode"] = "LS6 2AB",
            ["email"] = "sam.okafor@example.org",
            ["preferredContactMethod"] = "Email",
        },
        ["registeredPracticeOds"] = OtherPractice,
        ["needs"] = new JsonArray("MentalWellbeing"),
        ["whatMatters"] = "Feeling less alone.",
        ["risk"] = new JsonObject { ["riskOfHarmToSelf"] = atRisk, ["riskOfHarmToOthers"] = false },
        ["consent"] = new JsonObject { ["agreed"] = true, ["sharingScope"] = "CodedOnly" },
    };

    /// <summary>Sets (or, with null, removes) the value at a dotted path such as <c>person.nhsNumber</c>.</summary>
    public static JsonObject With(this JsonObject body, string path, JsonNode? value)
    {
        var parts = path.Split('.');
        var node = body;
        foreach (var part in parts[..^1])
        {
            node = node[part]!.AsObject();
        }

        if (value is null)
        {
            node.Remove(parts[^1]);
        }
        else
        {
            node[parts[^1]] = value;
        }

        return body;
    }

    /// <summary>Sets the value at a dotted path to JSON null.</summary>
    public static JsonObject WithNull(this JsonObject body, string path)
    {
        var parts = path.Split('.');
        var node = body;
        foreach (var part in parts[..^1])
        {
            node = node[part]!.AsObject();
        }

        node[parts[^1]] = null;
        return body;
    }

    public static JsonObject Copy(this JsonObject body) => JsonNode.Parse(body.ToJsonString())!.AsObject();
}
