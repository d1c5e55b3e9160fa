using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Referrals.Intake.Fhir;

namespace Referrals.Intake.Tests.Submitting;

public enum CorpusClient
{
    Referrer,
    GpSystem,
    Anonymous,
}

/// <summary>One malformed request: where it goes, as whom, with what body, and what kind of answer it must get.</summary>
public sealed record CorpusCase(string Name, string Path, CorpusClient Client, byte[] Body, string? ContentType, bool Fhir)
{
    public bool Chunked { get; init; }

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public override string ToString() => $"{Path} {Name}";
}

/// <summary>
/// The generated corpus of malformed referrals: truncated JSON, wrong types, huge strings, deep nesting, invalid NHS
/// numbers and ODS codes, impossible dates, missing consent, wrong content types and oversized bodies, across the JSON,
/// FHIR and self-referral endpoints. Each case is built from a valid request by one change.
/// </summary>
public static class MalformedInputCorpus
{
    private const string Json = "application/json";

    public static IReadOnlyList<CorpusCase> All() =>
    [
        .. JsonReferralCases(),
        .. FhirCases(),
        .. SelfReferralCases(),
    ];

    private static CorpusCase Referral(string name, JsonNode body) =>
        new(name, "/referrals", CorpusClient.Referrer, Encoding.UTF8.GetBytes(body.ToJsonString()), Json, false);

    private static CorpusCase ReferralRaw(string name, string body, string? contentType = Json) =>
        new(name, "/referrals", CorpusClient.Referrer, Encoding.UTF8.GetBytes(body), contentType, false);

    private static IEnumerable<CorpusCase> JsonReferralCases()
    {
        var valid = TestData.Referral().ToJsonString();

        // Truncated JSON, cut at many points.
        foreach (var fraction in new[] { 0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99 })
        {
            var cut = (int)(valid.Length * fraction);
            yield return ReferralRaw($"truncated at {fraction:P0}", valid[..cut]);
        }

        // Not a referral object at all.
        foreach (var (name, body) in new[]
                 {
                     ("empty body", ""), ("whitespace", "   "), ("null", "null"), ("array", "[]"), ("number", "42"), ("string", "\"referral\""),
                     ("true", "true"), ("open brace", "{"), ("close brace", "}"), ("mismatched", "{]"), ("xml", "<referral/>"),
                     ("single quotes", "{'person': {}}"), ("comment", "/* hi */ {}"), ("trailing comma", "{\"programme\": \"north-leeds\",}"),
                     ("NaN", "{\"person\": NaN}"), ("bare word", "referral"), ("two objects", "{}{}"), ("unterminated string", "{\"programme\": \"north"),
                     ("invalid escape", "{\"programme\": \"\\x41\"}"), ("byte order mark and garbage", "\uFEFF{{"),
                 })
        {
            yield return ReferralRaw(name, body);
        }

        // Invalid UTF-8.
        yield return new CorpusCase("invalid UTF-8", "/referrals", CorpusClient.Referrer,
            [.. Encoding.UTF8.GetBytes("{\"programme\": \""), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("\"}")], Json, false);

        // Wrong JSON types for each field.
        var fields = new Dictionary<string, JsonNode?[]>
        {
            ["person"] = ["a person", 1, new JsonArray()],
            ["person.nhsNumber"] = [9434765919, true, new JsonObject()],
            ["person.givenName"] = [1, new JsonArray("Aoife")],
            ["person.familyName"] = [false, new JsonObject()],
            ["person.dateOfBirth"] = [19580314, new JsonObject()],
            ["person.postcode"] = [73, new JsonArray()],
            ["person.phone"] = [1134960000, new JsonArray()],
            ["person.email"] = [true],
            ["person.preferredContactMethod"] = [1, new JsonArray("Phone")],
            ["registeredPracticeOds"] = [86001, new JsonArray("B86001")],
            ["referrer"] = ["B86001", 7],
            ["referrer.organisationId"] = [86001, new JsonObject()],
            ["referrer.professionalName"] = [new JsonArray()],
            ["programme"] = [1, new JsonObject()],
            ["needs"] = ["LonelinessOrIsolation", 3, new JsonObject()],
            ["reasonText"] = [new JsonObject(), 12],
            ["whatMatters"] = [new JsonArray()],
            ["risk"] = [true, "none"],
            ["risk.riskOfHarmToSelf"] = ["no", 0, "false"],
            ["risk.riskOfHarmToOthers"] = ["yes", new JsonObject()],
            ["urgency"] = [1, true, new JsonArray()],
            ["consent"] = [true, "yes"],
            ["consent.givenAt"] = [20260105, "yesterday"],
            ["consent.sharingScope"] = [0, "Everything"],
            ["hasLongTermCondition"] = ["yes", 1],
            ["isCarer"] = ["no"],
        };
        foreach (var (path, values) in fields)
        {
            foreach (var value in values)
            {
                yield return Referral($"{path} as {value?.GetValueKind()} {value?.ToJsonString()}", TestData.Referral().With(path, value));
            }
        }

        // Missing and null required fields.
        foreach (var path in new[]
                 {
                     "person", "person.nhsNumber", "person.givenName", "person.familyName", "person.dateOfBirth", "person.postcode",
                     "person.preferredContactMethod", "registeredPracticeOds", "referrer", "referrer.organisationId",
                     "referrer.professionalName", "programme", "needs", "risk", "risk.riskOfHarmToSelf", "risk.riskOfHarmToOthers",
                     "risk.safeguardingConcern", "risk.risksToVisitingWorker", "urgency", "consent", "consent.authority",
                     "consent.givenBy", "consent.givenAt", "consent.recordedBy", "consent.sharingScope",
                 })
        {
            yield return Referral($"{path} missing", TestData.Referral().With(path, null));
            yield return Referral($"{path} null", TestData.Referral().WithNull(path));
        }

        // Huge strings (some within the body limit, so the field rule answers; some beyond it).
        foreach (var (path, length) in new[]
                 {
                     ("person.givenName", 101), ("person.familyName", 5_000), ("person.postcode", 11), ("person.email", 300),
                     ("person.interpreterLanguage", 500), ("person.accessibilityNeeds", 1_001), ("referrer.professionalName", 201),
                     ("referrer.professionalRole", 101), ("reasonText", 4_001), ("whatMatters", 20_000), ("risk.notes", 4_001),
                     ("consent.givenBy", 201), ("consent.recordedBy", 201), ("programme", 51), ("whatMatters", 100_000),
                     ("reasonText", 1_000_000),
                 })
        {
            yield return Referral($"{path} of {length} characters", TestData.Referral().With(path, new string('x', length)));
        }

        // Deeply nested JSON.
        yield return ReferralRaw("object nested 200 deep", string.Concat(Enumerable.Repeat("{\"a\":", 200)) + "1" + new string('}', 200));
        yield return ReferralRaw("array nested 5000 deep", new string('[', 5000) + new string(']', 5000));
        yield return Referral("person nested 40 deep", TestData.Referral().With("person.givenName", Nest(40)));
        yield return Referral("needs nested arrays", TestData.Referral().With("needs", new JsonArray(new JsonArray(new JsonArray("Housing")))));

        // Invalid NHS numbers.
        foreach (var (name, nhs) in new[]
                 {
                     ("wrong check digit 1", TestData.InvalidNhsNumber()), ("wrong check digit 2", TestData.InvalidNhsNumber()),
                     ("wrong check digit 3", TestData.InvalidNhsNumber()), ("check digit would be 10", CheckDigitTen()),
                     ("nine digits", "943476591"), ("eleven digits", "94347659190"), ("letters", "94347A5919"), ("empty", ""),
                     ("spaces only", "   "), ("negative", "-943476591"), ("decimal", "9434765.19"), ("unicode digits", "٩٤٣٤٧٦٥٩١٩"),
                     ("one digit repeated", "4444444444"), ("zeros", "0000000000"),
                 })
        {
            yield return Referral($"NHS number {name}", TestData.Referral().With("person.nhsNumber", nhs));
        }

        // Invalid ODS codes and practices not served.
        foreach (var (name, ods) in new[]
                 {
                     ("empty", ""), ("hyphen", "B86-001"), ("too long", "B8600100012"), ("space", "B86 001"), ("accented", "B86ÄÄ1"),
                     ("not served by the programme", "B83001"), ("unknown practice", "Z99999"),
                 })
        {
            yield return Referral($"registered practice {name}", TestData.Referral().With("registeredPracticeOds", ods));
        }

        yield return Referral("referrer ODS with a hyphen", TestData.Referral().With("referrer.organisationId", "B86-001"));
        yield return Referral("malformed agency id", TestData.Referral().With("referrer.organisationId", "AGY-x").With("referrer.kind", "Agency"));
        yield return Referral("kind Self on /referrals", TestData.Referral().With("referrer.kind", "Self"));
        yield return Referral("referring as another practice", TestData.Referral(referrerOds: "B86003"));
        yield return Referral("unknown programme", TestData.Referral().With("programme", "south-atlantis"));
        yield return Referral("programme id with SQL", TestData.Referral().With("programme", "north-leeds' or '1'='1"));

        // Impossible and implausible dates.
        foreach (var (name, dob) in new[]
                 {
                     ("30 February", "1958-02-30"), ("month 13", "1958-13-01"), ("day 0", "1958-03-00"), ("in the future", "2999-01-01"),
                     ("over 120 years ago", "1850-06-01"), ("unpadded", "1958-3-14"), ("UK format", "14/03/1958"), ("empty", ""),
                     ("29 February in a common year", "2023-02-29"), ("with a time", "1958-03-14T00:00:00Z"), ("year zero", "0000-01-01"),
                 })
        {
            yield return Referral($"date of birth {name}", TestData.Referral().With("person.dateOfBirth", dob));
        }

        yield return Referral("consent given in the future", TestData.Referral().With("consent.givenAt", "2999-01-01T00:00:00Z"));
        yield return Referral("consent given before birth", TestData.Referral().With("consent.givenAt", "1950-01-01T00:00:00Z"));
        yield return Referral("consent date impossible", TestData.Referral().With("consent.givenAt", "2026-02-30T10:00:00Z"));

        // Consent whose authority does not fit the age.
        var child = TestData.Referral().With("person.dateOfBirth", DateTime.UtcNow.AddYears(-10).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        yield return Referral("child consenting for themselves", child.Copy());
        yield return Referral("parent consenting for an adult", TestData.Referral().With("consent.authority", "ParentOrGuardian"));
        yield return Referral("lasting power of attorney for a 17-year-old", TestData.Referral()
            .With("person.dateOfBirth", DateTime.UtcNow.AddYears(-17).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
            .With("consent.authority", "LastingPowerOfAttorney"));
        yield return Referral("best-interests decision for a child", child.Copy().With("consent.authority", "BestInterestsDecision"));
        yield return Referral("unknown consent authority", TestData.Referral().With("consent.authority", "Neighbour"));
        yield return Referral("consent authority as a number", TestData.Referral().With("consent.authority", 0));

        // Enums.
        yield return Referral("urgency unknown", TestData.Referral().With("urgency", "Critical"));
        yield return Referral("need unknown", TestData.Referral().With("needs", new JsonArray("Astrology")));
        yield return Referral("need as a number", TestData.Referral().With("needs", new JsonArray(99)));
        yield return Referral("need null", TestData.Referral().With("needs", new JsonArray((JsonNode?)null)));
        yield return Referral("needs with a null among them", TestData.Referral().With("needs", new JsonArray("Housing", null)));
        yield return Referral("needs empty", TestData.Referral().With("needs", new JsonArray()));
        yield return Referral("contact method unknown", TestData.Referral().With("person.preferredContactMethod", "Pigeon"));

        // Unknown and repeated properties.
        yield return Referral("unknown property", TestData.Referral().With("favouriteColour", "green"));
        yield return Referral("unknown nested property", TestData.Referral().With("person.shoeSize", 9));
        yield return ReferralRaw("repeated property", valid[..^1] + ",\"programme\":\"east-bradford\"}");

        // Control characters and broken text.
        foreach (var (name, text) in new[]
                 {
                     ("NUL", "Ao\u0000ife"), ("bell", "Ao\u0007ife"), ("escape", "\u001b[31mAoife"), ("line break in a name", "Ao\nife"),
                     ("tab in a name", "Ao\tife"), ("delete", "Aoife\u007f"), ("C1 control", "Aoife\u0085"),
                 })
        {
            yield return Referral($"given name with {name}", TestData.Referral().With("person.givenName", text));
        }

        yield return ReferralRaw("unpaired surrogate escape", valid.Replace("\"Aoife\"", "\"Ao\\ud800ife\"", StringComparison.Ordinal));
        yield return ReferralRaw("unpaired low surrogate escape", valid.Replace("\"Aoife\"", "\"\\udc00\"", StringComparison.Ordinal));
        yield return Referral("what matters with NUL", TestData.Referral().With("whatMatters", "fine\u0000"));
        yield return Referral("spaces-only family name", TestData.Referral().With("person.familyName", "   "));

        // Contact details.
        yield return Referral("email preferred without an email", TestData.Referral().With("person.preferredContactMethod", "Email").With("person.email", null));
        yield return Referral("text preferred without a phone", TestData.Referral().With("person.preferredContactMethod", "Text").With("person.phone", null));
        yield return Referral("phone with letters", TestData.Referral().With("person.phone", "call me maybe"));
        yield return Referral("phone too short", TestData.Referral().With("person.phone", "0113"));
        yield return Referral("email without at", TestData.Referral().With("person.email", "aoife.example.org"));
        yield return Referral("postcode not a postcode", TestData.Referral().With("person.postcode", "NOT A CODE"));

        // Wrong content types.
        foreach (var contentType in new[]
                 {
                     "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                     "application/json; charset=iso-8859-1", "application/fhir+json", null,
                 })
        {
            yield return ReferralRaw($"content type {contentType ?? "(none)"}", valid, contentType);
        }

        // Oversized bodies.
        yield return ReferralRaw("padded to 70 KB", valid[..^1] + new string(' ', 70_000) + "}");
        yield return ReferralRaw("one megabyte", "{\"whatMatters\":\"" + new string('a', 1_000_000) + "\"}");
        yield return ReferralRaw("64 KB and one byte", valid[..^1] + new string(' ', 64 * 1024 + 1 - valid.Length) + "}");
        yield return new CorpusCase("chunked body over the limit", "/referrals", CorpusClient.Referrer,
            Encoding.UTF8.GetBytes("{\"whatMatters\":\"" + new string('a', 200_000) + "\"}"), Json, false) { Chunked = true };

        // Bad Idempotency-Key headers.
        foreach (var (name, key) in new[] { ("too long", new string('k', 201)), ("with a space", "my key"), ("non-ASCII", "clé") })
        {
            yield return new CorpusCase($"Idempotency-Key {name}", "/referrals", CorpusClient.Referrer, Encoding.UTF8.GetBytes(valid), Json, false)
            {
                Headers = new Dictionary<string, string> { ["Idempotency-Key"] = key },
            };
        }
    }

    private static IEnumerable<CorpusCase> FhirCases()
    {
        CorpusCase Fhir(string name, string path, JsonNode body) =>
            new(name, path, CorpusClient.GpSystem, Encoding.UTF8.GetBytes(body.ToJsonString()), IntakeFhir.MediaType, true);
        CorpusCase FhirRaw(string name, string path, string body, string? contentType = IntakeFhir.MediaType) =>
            new(name, path, CorpusClient.GpSystem, Encoding.UTF8.GetBytes(body), contentType, true);

        var valid = TestFhir.ServiceRequest().ToJsonString();
        foreach (var fraction in new[] { 0.1, 0.3, 0.5, 0.7, 0.9 })
        {
            yield return FhirRaw($"truncated at {fraction:P0}", "/fhir/ServiceRequest", valid[..(int)(valid.Length * fraction)]);
        }

        foreach (var (name, body) in new[] { ("empty", ""), ("array", "[]"), ("null", "null"), ("not JSON", "ServiceRequest") })
        {
            yield return FhirRaw(name, "/fhir/ServiceRequest", body);
            yield return FhirRaw(name, "/fhir", body);
        }

        JsonObject Sr() => TestFhir.ServiceRequest();
        yield return Fhir("a Patient posted as a ServiceRequest", "/fhir/ServiceRequest", TestFhir.Patient(TestData.NhsNumber()));
        yield return Fhir("unknown resourceType", "/fhir/ServiceRequest", Sr().With("resourceType", "Referral"));
        yield return Fhir("unknown element", "/fhir/ServiceRequest", Sr().With("urgencyLevel", "high"));
        yield return Fhir("status draft", "/fhir/ServiceRequest", Sr().With("status", "draft"));
        yield return Fhir("status not a code", "/fhir/ServiceRequest", Sr().With("status", "live"));
        yield return Fhir("intent proposal", "/fhir/ServiceRequest", Sr().With("intent", "proposal"));
        yield return Fhir("no code", "/fhir/ServiceRequest", Sr().With("code", null));
        yield return Fhir("no subject", "/fhir/ServiceRequest", Sr().With("subject", null));
        yield return Fhir("subject to nowhere", "/fhir/ServiceRequest", Sr().With("subject", new JsonObject { ["reference"] = "#nobody" }));
        yield return Fhir("no consent", "/fhir/ServiceRequest", Sr().With("supportingInfo", null).With("contained", RemoveContained(Sr(), "Consent")));
        yield return Fhir("priority not a code", "/fhir/ServiceRequest", Sr().With("priority", "whenever"));
        yield return Fhir("empty string", "/fhir/ServiceRequest", Sr().With("priority", ""));
        yield return Fhir("null element", "/fhir/ServiceRequest", Sr().WithNull("note"));
        yield return Fhir("unknown need code", "/fhir/ServiceRequest", Sr().With("reasonCode", new JsonArray(new JsonObject
        {
            ["coding"] = new JsonArray(new JsonObject { ["system"] = IntakeFhir.NeedCategorySystem, ["code"] = "astrology" }),
        })));
        var badBirth = Sr();
        badBirth["contained"]![0]!["birthDate"] = "1958-02-30";
        yield return Fhir("impossible birthDate", "/fhir/ServiceRequest", badBirth);
        var badNhs = TestFhir.ServiceRequest(TestData.InvalidNhsNumber());
        yield return Fhir("invalid NHS number", "/fhir/ServiceRequest", badNhs);
        yield return Fhir("placeholder NHS number (one digit repeated)", "/fhir/ServiceRequest", TestFhir.ServiceRequest("9999999999"));
        var badOds = Sr();
        badOds["contained"]![0]!["generalPractitioner"]![0]!["identifier"]!["value"] = "NOT-ODS";
        yield return Fhir("invalid practice ODS code", "/fhir/ServiceRequest", badOds);
        var withdrawnConsent = Sr();
        withdrawnConsent["contained"]![2]!["status"] = "inactive";
        yield return Fhir("inactive consent", "/fhir/ServiceRequest", withdrawnConsent);
        yield return Fhir("another organisation's requester", "/fhir/ServiceRequest", TestFhir.ServiceRequest(requesterOds: "B86003"));
        yield return FhirRaw("XML content type", "/fhir/ServiceRequest", valid, "application/fhir+xml");
        yield return FhirRaw("no content type", "/fhir/ServiceRequest", valid, null);
        yield return FhirRaw("oversized", "/fhir/ServiceRequest", valid[..^1] + new string(' ', 70_000) + "}");

        yield return Fhir("searchset Bundle", "/fhir", TestFhir.Bundle().With("type", "searchset"));
        var twoRequests = TestFhir.Bundle();
        twoRequests["entry"]!.AsArray().Add(JsonNode.Parse(twoRequests["entry"]![0]!.ToJsonString()));
        yield return Fhir("Bundle with two ServiceRequests", "/fhir", twoRequests);
        var noPatient = TestFhir.Bundle();
        noPatient["entry"]!.AsArray().RemoveAt(1);
        yield return Fhir("Bundle without the Patient", "/fhir", noPatient);
        yield return Fhir("ServiceRequest posted to the Bundle endpoint", "/fhir", TestFhir.ServiceRequest());
        yield return FhirRaw("Bundle truncated", "/fhir", TestFhir.Bundle().ToJsonString()[..200]);
    }

    private static IEnumerable<CorpusCase> SelfReferralCases()
    {
        CorpusCase Self(string name, JsonNode body) =>
            new(name, "/self-referrals", CorpusClient.Anonymous, Encoding.UTF8.GetBytes(body.ToJsonString()), Json, false);

        var valid = TestData.SelfReferral().ToJsonString();
        yield return new CorpusCase("truncated", "/self-referrals", CorpusClient.Anonymous, Encoding.UTF8.GetBytes(valid[..40]), Json, false);
        yield return new CorpusCase("empty", "/self-referrals", CorpusClient.Anonymous, [], Json, false);
        yield return new CorpusCase("form post", "/self-referrals", CorpusClient.Anonymous, Encoding.UTF8.GetBytes("name=Sam"),
            "application/x-www-form-urlencoded", false);
        yield return Self("consent not agreed", TestData.SelfReferral().With("consent.agreed", false));
        yield return Self("consent missing", TestData.SelfReferral().With("consent", null));
        yield return Self("under 16", TestData.SelfReferral().With("person.dateOfBirth",
            DateTime.UtcNow.AddYears(-14).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        yield return Self("no practice", TestData.SelfReferral().With("registeredPracticeOds", null));
        yield return Self("practice no programme serves", TestData.SelfReferral().With("registeredPracticeOds", "Z99999"));
        yield return Self("practice served by two programmes, none named", TestData.SelfReferral().With("registeredPracticeOds", "Y99999"));
        yield return Self("invalid NHS number", TestData.SelfReferral(TestData.InvalidNhsNumber()));
        yield return Self("placeholder NHS number (one digit repeated)", TestData.SelfReferral("1111111111"));
        yield return Self("risk as text", TestData.SelfReferral().With("risk.riskOfHarmToSelf", "yes"));
        yield return Self("risk answer missing", TestData.SelfReferral().With("risk.riskOfHarmToOthers", null));
        yield return Self("referrer smuggled in", TestData.SelfReferral().With("referrer", new JsonObject { ["organisationId"] = "B86001" }));
        yield return Self("date of birth in the future", TestData.SelfReferral().With("person.dateOfBirth", "2999-12-31"));
        yield return Self("script in an unknown field", TestData.SelfReferral().With("comment", "<script>alert(1)</script>"));
    }

    private static JsonNode Nest(int depth)
    {
        JsonNode node = "x";
        for (var i = 0; i < depth; i++)
        {
            node = new JsonObject { ["a"] = node };
        }

        return node;
    }

    private static JsonArray RemoveContained(JsonObject request, string resourceType) =>
        new(request["contained"]!.AsArray().Where(r => r!["resourceType"]!.GetValue<string>() != resourceType)
            .Select(r => JsonNode.Parse(r!.ToJsonString())).ToArray());

    /// <summary>A 10-digit number whose Modulus 11 check would be 10 (so no check digit can make it valid).</summary>
    private static string CheckDigitTen()
    {
        for (var n = 100_000_000; ; n++)
        {
            var digits = n.ToString(CultureInfo.InvariantCulture);
            var check = 11 - (digits.Select((d, i) => (d - '0') * (10 - i)).Sum() % 11);
            if (check == 10)
            {
                return digits + "0";
            }
        }
    }
}
