using System.Net;
using static Referrals.DataProtection.Tests.DataProtectionPlatform;

namespace Referrals.DataProtection.Tests.Rectification;

[Collection(PlatformCollection.Name)]
public sealed class RectificationTests(DataProtectionPlatform platform)
{
    private static bool DocumentsHold(System.Text.Json.JsonElement part, string text) =>
        part.GetProperty("documents").GetRawText().Contains(text, StringComparison.OrdinalIgnoreCase);

    /// <summary>Every family name in the service's read models: details (<c>familyName</c>) and FHIR names (<c>family</c>).</summary>
    private static List<string> FamilyNames(System.Text.Json.JsonElement element)
    {
        var names = new List<string>();
        void Walk(System.Text.Json.JsonElement e)
        {
            if (e.ValueKind == System.Text.Json.JsonValueKind.Object)
            {
                foreach (var property in e.EnumerateObject())
                {
                    if (property.Name is "familyName" or "family" && property.Value.ValueKind == System.Text.Json.JsonValueKind.String)
                    {
                        names.Add(property.Value.GetString()!);
                    }

                    Walk(property.Value);
                }
            }
            else if (e.ValueKind == System.Text.Json.JsonValueKind.Array)
            {
                foreach (var item in e.EnumerateArray())
                {
                    Walk(item);
                }
            }
        }

        Walk(element.GetProperty("documents"));
        return names;
    }

    [Fact]
    public async Task Corrected_details_are_applied_by_every_service_that_holds_them_and_the_earlier_ones_stay_in_the_history()
    {
        var person = await platform.ReferAndOpenAsync();
        await platform.WaitForPackageAsync(person.PersonId,
            p => Holds(Part(p, "support-plan"), person.Canary) && Holds(Part(p, "gp-records"), person.Canary), "the details everywhere");
        var corrected = Canary();

        var (status, body) = await platform.SendAsync(HttpMethod.Post, platform.Platform.Addresses.Intake, $"/people/{person.PersonId}/rectification",
            OfficerToken(), new { person = Details("Augusta", corrected, person.NhsNumber) });

        Assert.True(status == HttpStatusCode.OK, body.ToString());
        Assert.Equal(1, body.GetProperty("referralsCorrected").GetInt32());
        // Intake's referral, support-plan's journey and gp-records' patient now read the corrected details (their events keep the history).
        var package = await platform.WaitForPackageAsync(person.PersonId,
            p => DocumentsHold(Part(p, "intake"), corrected) && DocumentsHold(Part(p, "support-plan"), corrected) &&
                 DocumentsHold(Part(p, "gp-records"), corrected),
            "every service to apply the correction");
        foreach (var service in new[] { "intake", "support-plan", "gp-records" })
        {
            var names = FamilyNames(Part(package, service));
            Assert.NotEmpty(names);
            Assert.All(names, n => Assert.Equal(corrected, n));
            // The correction is a later event: the earlier details stay in the history, and in the export.
            Assert.Contains(person.Canary, Part(package, service).GetProperty("events").GetRawText(), StringComparison.Ordinal);
        }

        // Triage keeps no identifying details at all, so it has nothing to correct.
        Assert.False(Holds(Part(package, "triage"), corrected) || Holds(Part(package, "triage"), person.Canary));
        var journey = await platform.Client.JourneyAsync(person.JourneyId, person.Worker);
        Assert.Contains(corrected, journey.GetRawText(), StringComparison.Ordinal);
        var audit = (await platform.AuditAsync(person.PersonId)).EnumerateArray().Select(s => s.GetProperty("step").GetString());
        Assert.Contains("DetailsRectified", audit);
    }

    [Fact]
    public async Task The_nhs_number_cannot_be_changed_by_rectification()
    {
        var person = await platform.ReferAndOpenAsync();

        var (status, body) = await platform.SendAsync(HttpMethod.Post, platform.Platform.Addresses.Intake, $"/people/{person.PersonId}/rectification",
            OfficerToken(), new { person = Details("Augusta", Canary(), Referrals.Deploy.Journeys.ReferralForms.NewNhsNumber()) });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(body.GetProperty("errors").TryGetProperty("person.nhsNumber", out _));
    }
}
