using System.Net;
using System.Text.Json.Nodes;
using Referrals.Contracts.Intake;
using Referrals.Testing;

namespace Referrals.Intake.Tests.Submitting;

/// <summary>
/// The consent record names who gave consent (the person, or a parent, attorney or decision-maker): personal data in intake's
/// events, documents and the outbox rows of <see cref="ReferralSubmitted"/> (the relay deletes a row once delivered, so a
/// trigger keeps a copy of each row as written). The referrer and the consumers still get the name, decrypted.
/// </summary>
public sealed class ConsentAtRestTests(IntakeFixture fixture) : IClassFixture<IntakeFixture>
{
    private IntakeApp App => fixture.App;

    [Fact]
    public async Task The_consent_givers_name_reaches_the_referrer_and_consumers_but_no_table_or_outbox_row_holds_it_in_plain_text()
    {
        var connection = App.Infrastructure.PostgresConnectionString;
        await PlainText.CaptureOutboxRowsAsync(connection, App.Schema.SchemaName);
        await using var probe = await App.ProbeAsync(typeof(ReferralSubmitted));
        var canary = "Zqgiver" + Guid.NewGuid().ToString("N")[..8];
        var referrer = App.Referrer(TestData.Practice);

        var response = await referrer.PostJsonAsync("/referrals", TestData.Referral().With("consent.givenBy", canary + " O'Brien"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.ReadObjectAsync()).ReferralId();
        Assert.Equal(canary + " O'Brien", (await probe.WaitForAsync<ReferralSubmitted>(m => m.ReferralId == id)).Consent!.GivenBy);
        var view = JsonNode.Parse(await referrer.GetStringAsync(new Uri($"/referrals/{id}", UriKind.Relative)))!;
        Assert.Equal(canary + " O'Brien", view["consent"]!["givenBy"]!.GetValue<string>());

        var written = await PlainText.OutboxRowsWrittenAsync(connection, App.Schema.SchemaName);
        Assert.Contains(written, row => row.Type.Contains("." + nameof(ReferralSubmitted) + ",", StringComparison.Ordinal));
        Assert.Empty(written.Where(row => row.Body.Contains(canary, StringComparison.Ordinal)).Select(row => row.Type));
        Assert.Empty(await PlainText.TablesHoldingAsync(connection, App.Schema.SchemaName, canary, PlainText.OutboxCopies));
    }
}
