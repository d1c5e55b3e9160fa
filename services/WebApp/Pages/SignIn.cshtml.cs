using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Referrals.WebApp.Signing;

namespace Referrals.WebApp.Pages;

/// <summary>Development only: pick a development identity; the app mints its token and keeps it in a cookie. 404 elsewhere.</summary>
public sealed class SignInModel(IHostEnvironment environment, DevelopmentIdentities identities) : PageModel
{
    public DevelopmentIdentities Identities { get; } = identities;

    [BindProperty]
    public string? Identity { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public IActionResult OnGet() => environment.IsDevelopment() ? Page() : NotFound();

    public IActionResult OnPost()
    {
        if (!environment.IsDevelopment())
        {
            return NotFound();
        }

        var identity = Identities.Find(Identity);
        if (identity is null)
        {
            ModelState.AddModelError(nameof(Identity), "Select who you want to sign in as");
            return Page();
        }

        if (string.IsNullOrEmpty(Identities.SigningKey))
        {
            ModelState.AddModelError(string.Empty, "Auth:DevelopmentSigningKey is not configured, so no development token can be made.");
            return Page();
        }

        SignInCookie.Write(Response, identity.CreateToken(Identities.SigningKey), Request.IsHttps);
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
    }
}
