using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Referrals.WebApp.Signing;

namespace Referrals.WebApp.Pages;

public sealed class SignOutModel : PageModel
{
    public void OnGet()
    {
    }

    public IActionResult OnPost()
    {
        SignInCookie.Clear(Response);
        return Redirect("/sign-out");
    }
}
