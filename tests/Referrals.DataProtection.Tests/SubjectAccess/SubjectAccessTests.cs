using static Referrals.DataProtection.Tests.DataProtectionPlatform;

namespace Referrals.DataProtection.Tests.SubjectAccess;

[Collection(PlatformCollection.Name)]
public sealed class SubjectAccessTests(DataProtectionPlatform platform)
{
    [Fact]
    public async Task The_export_for_a_person_with_a_full_journey_holds_their_data_from_all_four_services_and_nothing_about_anyone_else()
    {
        var person = await platform.ReferAndOpenAsync();
        var other = await platform.ReferAndOpenAsync();
        await platform.RunToClosureAsync(person);

        var package = await platform.WaitForPackageAsync(person.PersonId, p =>
                Holds(Part(p, "intake"), person.Canary) && Holds(Part(p, "support-plan"), "journey_closed") &&
                Holds(Part(p, "gp-records"), person.Canary) && Holds(Part(p, "gp-records"), "delivery_queued"),
            "the person's data in every service");

        Assert.Equal("referrals-subject-access/1", package.GetProperty("format").GetString());
        Assert.Equal(["intake", "triage", "support-plan", "gp-records"],
            package.GetProperty("services").EnumerateArray().Select(s => s.GetProperty("service").GetString()));
        foreach (var part in package.GetProperty("services").EnumerateArray())
        {
            Assert.NotEmpty(part.GetProperty("events").EnumerateArray());
            Assert.All(part.GetProperty("events").EnumerateArray(),
                e => Assert.Equal(person.PersonId, e.GetProperty("data").GetProperty("personId").GetGuid()));
            Assert.False(part.GetProperty("erased").GetBoolean());
        }

        // Intake and support-plan hold the details and the referral's free text; gp-records the patient; triage the decisions.
        Assert.True(Holds(Part(package, "intake"), "Getting back to the allotment"));
        Assert.True(Holds(Part(package, "support-plan"), person.Canary));
        Assert.True(Holds(Part(package, "support-plan"), "Walk with the Tuesday group"));
        Assert.True(Holds(Part(package, "triage"), person.ReferralId.ToString()));

        // Support-plan's access audit: who read or changed the person's journey (identifiers only).
        var accessAudit = Part(package, "support-plan").GetProperty("otherRecords").GetProperty("accessAudit").EnumerateArray().ToList();
        Assert.Contains(accessAudit, e => e.GetProperty("access").GetString() == "Write" && e.GetProperty("allowed").GetBoolean());
        var text = package.GetRawText();
        Assert.DoesNotContain(other.Canary, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(other.PersonId.ToString(), text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(other.NhsNumber, text, StringComparison.Ordinal);
        Assert.DoesNotContain(other.ReferralId.ToString(), text, StringComparison.OrdinalIgnoreCase);

        var audit = await platform.AuditAsync(person.PersonId);
        Assert.Contains(audit.EnumerateArray(), s => s.GetProperty("step").GetString() == "SubjectAccessExported" &&
                                                     s.GetProperty("actor").GetString() == "dpo-1");
    }

    [Fact]
    public async Task Only_a_data_protection_officer_may_export_a_persons_data()
    {
        var person = await platform.ReferAndOpenAsync();

        var (intake, _) = await platform.SendAsync(HttpMethod.Post, platform.Platform.Addresses.Intake, $"/people/{person.PersonId}/subject-access",
            platform.Client.WorkerToken(person.Worker));
        var (supportPlan, _) = await platform.SendAsync(HttpMethod.Get, platform.Platform.Addresses.SupportPlan,
            $"/people/{person.PersonId}/personal-data", platform.Client.WorkerToken(person.Worker));

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, intake);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, supportPlan);
    }
}
