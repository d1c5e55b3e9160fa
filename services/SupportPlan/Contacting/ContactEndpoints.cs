using Referrals.ServiceDefaults.Auth;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.Contacting;

public static class ContactEndpoints
{
    public static RouteGroupBuilder MapContacts(this RouteGroupBuilder journeys)
    {
        journeys.MapPost("/{journeyId:guid}/contacts", Record).WithName("RecordContact")
            .WithSummary("Record a contact or a failed attempt; contact with the person reactivates a dormant journey.");
        return journeys;
    }

    private static Task<JourneyResult> Record(Guid journeyId, RecordContact command, HttpContext http, JourneyCommands commands)
    {
        var contactId = Guid.CreateVersion7();
        return commands.ExecuteAsync(http, journeyId, "RecordContact",
            (journey, now) => ContactDecider.Record(journey, command, contactId, http.User.UserId(), now), _ => contactId);
    }
}
