using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Referrals.ServiceDefaults.Auth;

namespace Referrals.WebApp.Pages.Team;

/// <summary>A team lead page about one of their programmes (the first of their programme claims unless chosen).</summary>
public abstract class TeamPageModel : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Programme { get; set; }

    public IReadOnlyList<string> Programmes => User.Programmes();

    /// <summary>The team lead leads more than one programme: a page listing several says which each row is in.</summary>
    public bool SeveralProgrammes => Programmes.Count > 1;

    protected string ProgrammeId => Programme is { } p && Programmes.Contains(p) ? p : Programmes.FirstOrDefault() ?? string.Empty;
}
