using System.Net.Http.Headers;

namespace Referrals.WebApp.Signing;

/// <summary>Calls the APIs as the signed-in user: their own token goes along, so the APIs apply their own access rules.</summary>
public sealed class ForwardUserToken(IHttpContextAccessor accessor) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (accessor.HttpContext is { } context && SignInCookie.TokenOf(context) is { Length: > 0 } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
