using System.Globalization;
using Referrals.SharedKernel;

namespace Referrals.GpRecords.Recording;

/// <summary>
/// Deterministic FHIR resource ids: a name-based UUID (RFC 9562 version 8, SHA-256) of the journey (or person) and the
/// event that gave rise to the resource. The same fact always yields the same id, so re-emission updates the resource at
/// the practice instead of duplicating it, and a rebuild from the event history produces the same ids.
/// </summary>
public static class ResourceIds
{
    public static string Patient(Guid personId) => Create("Patient", personId);

    public static string ServiceRequest(Guid journeyId, Guid referralId) => Create("ServiceRequest", journeyId, referralId);

    public static string Task(Guid journeyId, Guid referralId) => Create("Task", journeyId, referralId);

    public static string AgreementProcedure(Guid journeyId, Guid referralId) => Create("Procedure:agreed", journeyId, referralId);

    public static string DeclineObservation(Guid journeyId, Guid referralId) => Create("Observation:declined", journeyId, referralId);

    public static string Encounter(Guid journeyId, Guid contactId) => Create("Encounter", journeyId, contactId);

    public static string Outcome(Guid journeyId, Guid measurementId, string? item = null) =>
        item is null ? Create("Observation:outcome", journeyId, measurementId) : Create("Observation:outcome:" + item, journeyId, measurementId);

    public static string Goal(Guid journeyId, Guid goalId) => Create("Goal", journeyId, goalId);

    public static string CarePlan(Guid journeyId) => Create("CarePlan", journeyId);

    /// <summary>
    /// A Goal or CarePlan as it stood in a document (a closing summary's snapshot): scoped to the document's Composition and
    /// the live resource, so it never shares an id or identifier with the live resource a receiver may file by either.
    /// </summary>
    public static string Snapshot(string compositionId, string resourceType, string liveId) =>
        Create("Snapshot:" + resourceType, compositionId, liveId);

    public static string Consent(Guid journeyId) => Create("Consent", journeyId);

    public static string Safeguarding(Guid journeyId, Guid concernId) => Create("Observation:safeguarding", journeyId, concernId);

    /// <summary>The registered practice's notice of one step of an escalation (triage's escalation id, the step number).</summary>
    public static string EscalationNotice(Guid journeyId, Guid escalationId, int step) => Create("Observation:escalation", journeyId, escalationId, step);

    public static string Document(Guid journeyId, Guid referralId, string kind) => Create("Bundle:" + kind, journeyId, referralId);

    public static string Composition(Guid journeyId, Guid referralId, string kind) => Create("Composition:" + kind, journeyId, referralId);

    public static Guid Delivery(Guid journeyId, int sequence) =>
        Guid.Parse(Create("Delivery", journeyId, sequence.ToString(CultureInfo.InvariantCulture)));

    /// <summary>The delivery queue stream of a journey.</summary>
    public static Guid DeliveryQueue(Guid journeyId) => Guid.Parse(Create("DeliveryQueue", journeyId));

    /// <summary>The stream of a referral's link to its journey and of the practice notices held until then.</summary>
    public static Guid ReferralJourney(Guid referralId) => Guid.Parse(Create("ReferralJourney", referralId));

    /// <summary>
    /// The journey id under which a referral's practice notices are delivered when no journey took them (withdrawn before
    /// support-plan registered it, or not registered in time): their delivery queue and resource ids derive from it. It is
    /// never a support-plan journey, so it cannot collide with the one the referral may be registered on later.
    /// </summary>
    public static Guid ReferralNotices(Guid referralId) => Guid.Parse(Create("ReferralNotices", referralId));

    public static string Create(string kind, params object[] parts)
    {
        var name = kind + "|" + string.Join("|", parts.Select(p => Convert.ToString(p, CultureInfo.InvariantCulture)));
        return NameBasedGuid.Create(name).ToString("D", CultureInfo.InvariantCulture);
    }
}
