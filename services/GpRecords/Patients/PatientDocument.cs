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
}

public sealed class PatientDocumentProjection : MultiStreamProjection<PatientDocument, string>
{
    public PatientDocumentProjection()
    {
        Identity<PatientDetailsRecorded>(e => ResourceIds.Patient(e.PersonId));
        Identity<PatientErased>(e => ResourceIds.Patient(e.PersonId));
    }

    public PatientDocument Create(PatientDetailsRecorded e) => Apply(e, new PatientDocument { Id = ResourceIds.Patient(e.PersonId), PersonId = e.PersonId });

    public PatientDocument Apply(PatientDetailsRecorded e, PatientDocument doc)
    {
        if (e.RecordedAt < doc.RecordedAt)
        {
            return doc;
        }

        doc.Details = e.Details;
        doc.RegisteredPracticeOds = e.RegisteredPracticeOds;
        doc.NhsNumberIndex = e.NhsNumberIndex;
        doc.RecordedAt = e.RecordedAt;
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
