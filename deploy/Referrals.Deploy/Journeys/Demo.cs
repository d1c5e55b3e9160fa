using System.Diagnostics;
using System.Text.Json;

namespace Referrals.Deploy.Journeys;

/// <summary>
/// Walks one realistic referral through the running platform, through public APIs only, printing each step and then
/// the coded record the registered practice received.
/// </summary>
public static class Demo
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static async Task<int> RunAsync(PlatformAddresses addresses, TextWriter output)
    {
        using var platform = new PlatformClient(addresses);
        var clock = Stopwatch.StartNew();
        void Step(string text) => output.WriteLine($"[{clock.Elapsed.TotalSeconds,5:0.0}s] {text}");

        const string practice = "B86001";
        const string programme = "north-leeds";
        var nhsNumber = ReferralForms.NewNhsNumber();
        var referral = ReferralForms.GpReferral(practice, programme, nhsNumber, "Maureen", "O'Brien");

        var referralId = await platform.SubmitReferralAsync(referral);
        Step($"GP practice {practice} referred Maureen O'Brien to the {programme} programme: referral {referralId}");

        var triaged = await platform.WaitForStatusAsync(referralId, practice, s => s is not "Submitted");
        Step($"Intake shows the referrer: {triaged.GetProperty("status").GetString()}");

        var (assignmentId, worker) = await platform.WaitForAssignmentAsync(referralId, programme);
        Step($"Triage assigned the referral to link worker {worker.Id} (tier {worker.Tier})");

        await platform.AcceptAsync(assignmentId, worker);
        var journeyId = await platform.WaitForOpenJourneyAsync(referralId, worker);
        Step($"{worker.Id} accepted; support-plan opened journey {journeyId}");

        await platform.JourneyCommandAsync(journeyId, worker, "contacts", new { kind = "Phone", outcome = "Attended", durationMinutes = 30, note = "First call" });
        await platform.JourneyCommandAsync(journeyId, worker, "agreement", null);
        Step("First contact: Maureen agreed to social prescribing (coded 871731000000106)");

        await platform.JourneyCommandAsync(journeyId, worker, "outcome-measures", new { instrument = "Swemwbs", point = "Baseline", items = new[] { 2, 3, 2, 3, 2, 3, 2 } });
        Step("SWEMWBS baseline recorded (raw 17, metric 16.88)");

        await platform.JourneyCommandAsync(journeyId, worker, "plan/goals", new { description = "Back at the allotment every week", targetDate = DateTime.UtcNow.AddMonths(3).ToString("yyyy-MM-dd") });
        await platform.JourneyCommandAsync(journeyId, worker, "plan/agreement", new { personAgreed = true });
        await platform.JourneyCommandAsync(journeyId, worker, "connections", new { serviceName = "Meanwood Community Allotments", kind = "Signposting" });
        Step("Plan agreed with Maureen (one goal in her words) and a community connection made");

        await platform.JourneyCommandAsync(journeyId, worker, "outcome-measures", new { instrument = "Swemwbs", point = "Closing", items = new[] { 4, 4, 3, 4, 3, 4, 4 } });
        Step("SWEMWBS at closing recorded (raw 26, metric 23.21: a meaningful change of +6.33)");

        await platform.JourneyCommandAsync(journeyId, worker, "closure", new { reason = "GoalsMet", note = "Connected and confident" });
        Step("Journey closed: goals met");

        var status = await platform.WaitForStatusAsync(referralId, practice, s => s == "Closed");
        Step($"Intake shows the referrer: {status.GetProperty("status").GetString()}");

        var record = await platform.PollAsync(() => platform.PracticeRecordAsync(practice),
            r => r.TryGetProperty("entry", out var entries) && entries.EnumerateArray().Any(e =>
                e.GetProperty("resource") is var resource &&
                resource.GetProperty("resourceType").GetString() == "Task" &&
                resource.GetProperty("status").GetString() == "completed"),
            "the completed referral Task at the practice");
        Step($"The stand-in system of practice {practice} holds {record.GetProperty("total").GetInt32()} resources (this run's and any earlier ones):");
        foreach (var entry in record.GetProperty("entry").EnumerateArray())
        {
            var resource = entry.GetProperty("resource");
            var code = resource.TryGetProperty("code", out var c) && c.TryGetProperty("coding", out var coding) ? " " + coding[0].GetProperty("code").GetString() : "";
            output.WriteLine($"         {resource.GetProperty("resourceType").GetString()}/{resource.GetProperty("id").GetString()}{code}");
        }

        output.WriteLine();
        output.WriteLine("The coded record as GP-records serves it to the practice's clinical system (Patient/$everything):");
        var everything = await platform.PatientEverythingAsync(nhsNumber, practice);
        output.WriteLine(JsonSerializer.Serialize(everything, Indented));
        Step("Demo finished");
        return 0;
    }
}
