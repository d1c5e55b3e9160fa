using Referrals.Contracts;
using Referrals.EventStore;
using Referrals.GpRecords.Recording;

namespace Referrals.GpRecords.Patients;

/// <summary>Read model behind <c>GET /fhir/Patient</c>: keyed by the Patient resource id, searchable by the NHS number's blind index.</summary>
public sealed class PatientDocument
{
    public string Id { get; set; } = "";

    public Guid PersonId { get; set; }

    [PersonalData]
    public PersonDetails? Details { get; set; }

    public string RegisteredPracticeOds { get; set; } = "";

    public string? NhsNumberIndex { get; set; }

    public DateTimeOffset RecordedAt { get; set; }

    /// <summary>As <see cref="PatientRecord.PracticeSetAt"/>.</summary>
    public DateTimeOffset PracticeSetAt { get; set; }

    /// <summary>As <see cref="PatientRecord.MovedAt"/>.</summary>
    public DateTimeOffset? MovedAt { get; set; }
}

public sealed class PatientDocumentProjection : MultiStreamProjection<PatientDocument, string>
{
    public PatientDocumentProjection()
    {
        Identity<PatientDetailsRecorded>(e => ResourceIds.Patient(e.PersonId));
        Identity<PatientRegisteredPracticeChanged>(e => ResourceIds.Patient(e.PersonId));
        Identity<PatientErased>(e => ResourceIds.Patient(e.PersonId));
    }

    public PatientDocument Create(PatientDetailsRecorded e) => Apply(e, new PatientDocument { Id = ResourceIds.Patient(e.PersonId), PersonId = e.PersonId });

    public PatientDocument Apply(PatientDetailsRecorded e, PatientDocument doc)
    {
        // As PatientRecord.Apply: the details take the event when it is as new as those held; the practice by PracticeRules.
        if (e.RecordedAt >= doc.RecordedAt)
        {
            doc.Details = e.Details;
            doc.NhsNumberIndex = e.NhsNumberIndex;
            doc.RecordedAt = e.RecordedAt;
        }

        if (e.RegisteredPracticeOds is { } practice && PracticeRules.TakesReferralPractice(doc.RegisteredPracticeOds, doc.PracticeSetAt, doc.MovedAt, e.RecordedAt))
        {
            doc.RegisteredPracticeOds = practice;
            doc.PracticeSetAt = e.RecordedAt;
        }

        return doc;
    }

    /// <summary>A move comes after the person's first referral (intake knows no one else), so there is always a document.</summary>
    public PatientDocument? Create(PatientRegisteredPracticeChanged e) => null;

    public PatientDocument Apply(PatientRegisteredPracticeChanged e, PatientDocument doc)
    {
        if (PracticeRules.TakesMove(doc.MovedAt, e.ChangedAt))
        {
            doc.RegisteredPracticeOds = e.RegisteredPracticeOds;
            doc.PracticeSetAt = e.ChangedAt;
            doc.MovedAt = e.ChangedAt;
        }

        return doc;
    }

    /// <summary>
    /// An erasure may come before anything about the person (the erasure ledger re-applied to a rebuilt or restored
    /// store): there is nothing to blank, so no document.
    /// </summary>
    public PatientDocument? Create(PatientErased e) => null;

    public PatientDocument Apply(PatientErased e, PatientDocument doc)
    {
        doc.Details = null;
        doc.NhsNumberIndex = null;
        return doc;
    }
}
