using System.Net;
using System.Net.Sockets;

namespace Integrity.Host.Security;

/// <summary>
/// The address a request is limited and counted by: the connection's remote address, an IPv6 one by its /64 (one
/// machine commonly holds a whole /64, so counting single addresses would let it rotate past any limit).
/// Behind a proxy this is the proxy's address unless forwarded headers are configured in front of the host.
/// </summary>
public static class ClientAddress
{
    public static string? Of(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is null)
        {
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
