using System.Net;
using System.Text.Json.Nodes;

namespace Referrals.Intake.Tests.Submitting;

public sealed class TextIsTextTests(IntakeFixture fixture) : IClassFixture<IntakeFixture>
{
    private IntakeApp App => fixture.App;

    public static TheoryData<string, string> HostileText => new()
    {
        { "person.familyName", "O'Brien-\"Quoted\" <b>Bold</b>" },
        { "person.givenName", "Robert'); DROP TABLE referrals;--" },
        { "person.accessibilityNeeds", "<script>alert('xss')</script><img src=x onerror=alert(1)>" },
        { "reasonText", "SELECT * FROM mt_events WHERE 1=1; -- and ' OR '1'='1" },
        { "whatMatters", "Gardening 🌱👩🏽‍🌾 and family 👨‍👩‍👧 ❤️" },
        { "risk.notes", "مرحبا\u200F بالعالم \u200E LTR \u202EreversED\u202C" },
        { "person.interpreterLanguage", "עברית (Hebrew) \u05D0\u05D1" },
        { "reasonText", "Line one\nLine two\r\n\tIndented & <escaped> &amp; &lt;not&gt; ${jndi:ldap://x} {{template}} \\backslash\\" },
        { "whatMatters", "Zero\u200Bwidth, combining e\u0301, nonbreaking\u00A0space, em—dash, “curly” ‘quotes’, ½, €, 𝔘𝔫𝔦𝔠𝔬𝔡𝔢" },
        { "consent.givenBy", "Ms Ngozi Adéwálé-Smith (daughter) \"LPA\"" },
    };

    [Theory]
    [MemberData(nameof(HostileText))]
    public async Task Hostile_but_well_formed_text_round_trips_unchanged(string field, string text)
    {
        var client = App.Referrer(TestData.Practice);
        var body = TestData.Referral().With(field, text);
        if (field == "consent.givenBy")
        {
            body.With("consent.authority", "LastingPowerOfAttorney");
        }

        var response = await client.PostJsonAsync("/referrals", body);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.ReadObjectAsync()).ReferralId();

        var view = await (await client.GetAsync(new Uri($"/referrals/{id}", UriKind.Relative))).ReadObjectAsync();
        JsonNode? node = view;
        foreach (var part in field.Replace("risk.notes", "riskNotes", StringComparison.Ordinal).Split('.'))
        {
            node = node![part];
        }

        Assert.Equal(text, node!.GetValue<string>());
    }

    [Fact]
    public async Task Angle_brackets_are_escaped_in_the_JSON_answer_and_still_read_back_as_typed()
    {
        var client = App.Referrer(TestData.Practice);
        var text = "<script>alert(1)</script>";
        var response = await client.PostJsonAsync("/referrals", TestData.Referral().With("whatMatters", text));
        var id = (await response.ReadObjectAsync()).ReferralId();

        var read = await client.GetAsync(new Uri($"/referrals/{id}", UriKind.Relative));
        Assert.Equal("nosniff", read.Headers.GetValues("X-Content-Type-Options").Single());
        var raw = await read.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>", raw, StringComparison.Ordinal);
        Assert.Equal(text, JsonNode.Parse(raw)!["whatMatters"]!.GetValue<string>());
    }
}
