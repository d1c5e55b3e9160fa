using System.Text.Json.Nodes;
using Referrals.Intake.Http;
using Referrals.Intake.Programmes;
using Referrals.Intake.Submitting;
using Referrals.Testing;

namespace Referrals.Intake.Tests.Submitting;

/// <summary>Referral commands as the API validates them, for decider tests that need no infrastructure.</summary>
internal static class ValidatedReferrals
{
    public static readonly TestClock Clock = new(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));

    private static readonly ReferralValidator Validator = new(ProgrammeCatalogue.Create(new Dictionary<string, ProgrammeSettings>
    {
        [TestData.Programme] = new() { Practices = [TestData.Practice, TestData.OtherPractice] },
    }), Clock);

    public static SubmitReferral Command(JsonObject body) => Validator.Validate(
        JsonBody.Bind<ReferralRequest>(System.Text.Encoding.UTF8.GetBytes(body.ToJsonString())), ReferralChannel.Api, ValidationRules.Api);

    /// <summary>A referral indicating no risk at all: no structured answer, routine, no risk notes.</summary>
    public static JsonObject Referral() => TestData.Referral(consentGivenAt: Clock.UtcNow.AddHours(-1)).With("risk.notes", null);
}
