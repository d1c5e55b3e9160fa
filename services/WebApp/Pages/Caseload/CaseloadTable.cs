using Referrals.WebApp.Api;

namespace Referrals.WebApp.Pages.Caseload;

/// <summary>
/// What <c>_CaseloadTable</c> shows: a caseload's lines in support-plan's order, with the marks of what needs attention. The
/// worker's own caseload and a team lead's view of a worker's share it, so both mark a line alike.
/// </summary>
/// <param name="ShowProgramme">A Programme column, for a team lead of several programmes.</param>
public sealed record CaseloadTable(IReadOnlyList<JourneySummary> Journeys, string Caption, bool ShowProgramme = false);
