using System.Net;
using IPNetwork = System.Net.IPNetwork;

namespace Referrals.Intake.Webhooks;

/// <summary>
/// Which hosts and addresses a webhook may reach: public internet addresses only, so a referrer cannot make intake POST
/// into intake's own network (loopback, private, link-local - the cloud metadata service - and the other IANA
/// special-purpose ranges that are not globally reachable) and read from the delivery list whether something answered.
/// Pure: the same answer at registration and, after DNS, at connect time.
/// </summary>
public static class WebhookAddresses
{
    private static readonly IPNetwork[] InternalV4 =
    [
        IPNetwork.Parse("0.0.0.0/8"), // "this network", 0.0.0.0 unspecified (Linux connects it to the host itself)
        IPNetwork.Parse("10.0.0.0/8"), // private
        IPNetwork.Parse("100.64.0.0/10"), // carrier-grade NAT
        IPNetwork.Parse("127.0.0.0/8"), // loopback
        IPNetwork.Parse("169.254.0.0/16"), // link-local, cloud metadata services
        IPNetwork.Parse("172.16.0.0/12"), // private
        IPNetwork.Parse("192.0.0.0/24"), // IETF protocol assignments
        IPNetwork.Parse("192.0.2.0/24"), // documentation (TEST-NET-1; some hosts use it locally)
        IPNetwork.Parse("192.168.0.0/16"), // private
        IPNetwork.Parse("198.18.0.0/15"), // benchmarking
        IPNetwork.Parse("198.51.100.0/24"), // documentation
        IPNetwork.Parse("203.0.113.0/24"), // documentation
        IPNetwork.Parse("224.0.0.0/4"), // multicast
        IPNetwork.Parse("240.0.0.0/4"), // reserved, and 255.255.255.255 broadcast
    ];

    private static readonly IPNetwork[] InternalV6 =
    [
        IPNetwork.Parse("::/96"), // unspecified, loopback and the deprecated IPv4-compatible forms
        IPNetwork.Parse("2001:db8::/32"), // documentation
        IPNetwork.Parse("fc00::/7"), // unique local
        IPNetwork.Parse("fe80::/10"), // link-local
        IPNetwork.Parse("fec0::/10"), // site-local (deprecated, still private)
        IPNetwork.Parse("ff00::/8"), // multicast
    ];

    // NAT64's well-known prefix carries an IPv4 address in its last 32 bits, as the IPv4-mapped form does.
    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");

    /// <summary>True for an address a webhook must never be sent to: anything not on the public internet.</summary>
    public static bool IsInternal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return IsInternal(address.MapToIPv4());
        }

        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
        {
            return InternalV4.Any(n => n.Contains(address));
        }

        if (Nat64.Contains(address))
        {
            var bytes = address.GetAddressBytes();
            return IsInternal(new IPAddress(bytes.AsSpan(12, 4)));
        }

        return InternalV6.Any(n => n.Contains(address));
    }

    /// <summary><c>localhost</c> and any name under it (RFC 6761), with or without the trailing dot.</summary>
    public static bool IsLocalHostName(string host)
    {
        var name = host.TrimEnd('.');
        return name.Equals("localhost", StringComparison.OrdinalIgnoreCase)
               || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// True when the URL's host is refused before any lookup: a localhost name or a literal internal address. A name that
    /// resolves to an internal address is caught at connect time (<see cref="WebhookConnector"/>).
    /// </summary>
    public static bool IsInternalHost(Uri uri)
    {
        if (uri.HostNameType is not (UriHostNameType.IPv4 or UriHostNameType.IPv6))
        {
            return IsLocalHostName(uri.IdnHost);
        }

        // Uri has already read 127.1, 0x7f000001 and the like as 127.0.0.1. Should a literal not parse, refuse it.
        return !IPAddress.TryParse(uri.IdnHost, out var address) || IsInternal(address);
    }
}
