using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Referrals.WebApp.Pages;

[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public int Status { get; private set; }

    public string Heading { get; private set; } = string.Empty;

    public string Explanation { get; private set; } = string.Empty;

    public void OnGet(int? status) => Describe(status);

    public void OnPost(int? status) => Describe(status);

    private void Describe(int? status)
    {
        Status = status ?? 500;
        (Heading, Explanation) = Status switch
        {
            400 => ("Sorry, there is a problem with the form", "The form could not be accepted. Go back, reload the page and try again."),
            401 => ("You need to sign in", "Sign in through your organisation's login to use this service."),
            403 => ("You do not have access to this page", "This record or page belongs to someone else's work. Ask your team lead if you need access."),
            404 => ("Page not found", "If you typed the web address, check it is correct."),
            _ => ("Sorry, there is a problem with the service", "Try again later. Nothing you have not yet saved was recorded."),
        };
        if (Status != 500)
        {
            Response.StatusCode = Status;
        }
    }
}
