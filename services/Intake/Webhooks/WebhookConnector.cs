using System.Net;
using System.Net.Sockets;

namespace Referrals.Intake.Webhooks;

/// <summary>A webhook's host has no public internet address, so nothing was sent (see <see cref="WebhookAddresses"/>).</summary>
public sealed class WebhookAddressRefusedException : Exception
{
    /// <summary>Recorded on the delivery: says what the rule is, not which address the name resolved to.</summary>
    public const string Reason = "Refused: the webhook host is not a public internet address.";

    public WebhookAddressRefusedException()
        : base(Reason)
    {
    }
}

/// <summary>
/// The webhook client's connection: the host is resolved here, internal addresses are dropped and only a remaining public
/// one is connected to. Checking the addresses actually connected to (not a lookup made earlier) also defeats a name
/// that resolves to an internal address, or is re-pointed at one after registration (DNS rebinding).
/// </summary>
public static class WebhookConnector
{
    /// <summary>
    /// The primary handler of the webhook client: no redirects, no cookies and, unless internal addresses are allowed
    /// (development and tests), the address check. No proxy then either: through one, the check would see the proxy.
    /// </summary>
    public static SocketsHttpHandler CreateHandler(bool allowPrivateAddresses) => allowPrivateAddresses
        ? new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }
        : CreateCheckingHandler((host, ct) => Dns.GetHostAddressesAsync(host, ct), WebhookAddresses.IsInternal);

    /// <summary>The checking handler with its resolver and rule given (tests stand in a resolver for DNS).</summary>
    internal static SocketsHttpHandler CreateCheckingHandler(Func<string, CancellationToken, Task<IPAddress[]>> resolve,
        Func<IPAddress, bool> isRefused) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        ConnectCallback = (context, ct) => ConnectAsync(context.DnsEndPoint, resolve, isRefused, ct),
    };

    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, Func<string, CancellationToken, Task<IPAddress[]>> resolve,
        Func<IPAddress, bool> isRefused, CancellationToken ct)
    {
        // foo.localhost need not resolve at all: refused, not retried as a lookup failure.
        if (WebhookAddresses.IsLocalHostName(endpoint.Host))
        {
            throw new WebhookAddressRefusedException();
        }

        var addresses = IPAddress.TryParse(endpoint.Host, out var literal) ? [literal] : await resolve(endpoint.Host, ct);
        var allowed = addresses.Where(a => !isRefused(a)).ToArray();
        if (allowed.Length == 0)
        {
            throw new WebhookAddressRefusedException();
        }

        // As the default connect: a dual-mode socket tries each address in turn.
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, endpoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
