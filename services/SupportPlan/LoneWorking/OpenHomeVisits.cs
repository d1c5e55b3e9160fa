using Referrals.EventStore;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.LoneWorking;

/// <summary>
/// Journeys with a home visit still open, found through a partial index of those journeys alone: a worker's worklist asks
/// on every load, and the open visits are few among all the journeys.
/// </summary>
public static class OpenHomeVisits
{
    /// <summary>A visit is open until checked out: no <c>checkedOutAt</c> stored (nulls are omitted), or a null one.</summary>
    public const string HasOpenVisit = "jsonb_path_exists(data, '$.visits[*] ? (!(exists(@.checkedOutAt)) || @.checkedOutAt == null)')";

    /// <summary>The journeys where this worker checked in to a visit not yet checked out (a query's literal "?" is doubled).</summary>
    public static readonly string CheckedInBy = HasOpenVisit.Replace("?", "??", StringComparison.Ordinal) + " and exists (select 1 from jsonb_array_elements(data->'visits') v " +
                                      "where v->>'linkWorkerId' = ? and v->>'checkedOutAt' is null)";

    public static DocumentRegistry Index(DocumentRegistry documents) => documents.Index<Journey>("open_visits", [], where: HasOpenVisit);
}
