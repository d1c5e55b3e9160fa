using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Referrals.ServiceDefaults.Auth;

namespace Referrals.WebApp.Pages;

public sealed class IndexModel : PageModel
{
    public IActionResult OnGet() =>
        User.IsInRole(Roles.LinkWorker) ? Redirect("/worklist") : User.IsInRole(Roles.TeamLead) ? Redirect("/team") : Page();
}
