using Referrals.Contracts;
using Referrals.Contracts.SupportPlan;
using Referrals.Fhir;
using Referrals.Fhir.Model;
using Referrals.Fhir.Terminology;
using Referrals.GpRecords.Journeys;
using Referrals.GpRecords.Patients;
using Referrals.GpRecords.Recording;

namespace Referrals.GpRecords.Tests.Support;

/// <summary>Pure helpers: fold facts as the event store does, and map them.</summary>
public static class Journeys
{
    public static readonly JourneyRecordMapper Mapper = new(SnomedCodeSet.CreateValidated(), new FhirOptions { CanonicalBase = GpRecordsHarness.CanonicalBase });

    public static GpJourney Fold(IEnumerable<object> facts) =>
        facts.OfType<IIntegrationEvent>().Where(f => f is not Contracts.Intake.ReferralSubmitted)
            .Aggregate(new GpJourney(), (journey, fact) => JourneyFacts.ShouldRecord(journey, fact) ? (GpJourney)((dynamic)journey).Apply((dynamic)fact) : journey);

    public static PatientRecord Patient(JourneyScript script) =>
        PatientRecord.Create(new PatientDetailsRecorded(script.PersonId, script.Submitted().Person, script.Practice, null, script.At(0)));

    public static IReadOnlyList<MappedResource> Map(JourneyScript script, IEnumerable<object> facts) => Mapper.Map(Fold(facts), Patient(script));

    public static T Single<T>(IEnumerable<MappedResource> resources, Func<T, bool>? where = null) where T : Resource =>
        resources.Select(r => r.Full).OfType<T>().Single(r => where?.Invoke(r) ?? true);

    public static bool HasSnomed(CodeableConcept? concept, string code) =>
        concept?.Coding.Any(c => c.System == FhirSystems.Snomed && c.Code == code) == true;

    public static FhirTask TaskOf(JourneyScript script, IEnumerable<object> facts) =>
        Single<FhirTask>(Map(script, facts), t => t.Id == ResourceIds.Task(script.JourneyId, script.ReferralId));
}
