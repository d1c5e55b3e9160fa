using System.Security.Claims;
using Referrals.ServiceDefaults.Auth;

namespace Referrals.Triage.Common;

/// <summary>Who may see or act on a programme: the programme ids in the user's token.</summary>
public static class ProgrammeAccess
{
    public static bool WorksIn(this ClaimsPrincipal user, string programmeId) =>
        user.Programmes().Contains(programmeId, StringComparer.Ordinal);

    public static bool IsTeamLeadOf(this ClaimsPrincipal user, string programmeId) =>
        user.IsInRole(Roles.TeamLead) && user.WorksIn(programmeId);
}
