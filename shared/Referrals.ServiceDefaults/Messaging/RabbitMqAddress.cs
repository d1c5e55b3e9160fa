namespace Referrals.ServiceDefaults.Messaging;

/// <summary>The parts of an <c>amqp://user:password@host:port/vhost</c> connection string.</summary>
public sealed record RabbitMqAddress(string Host, ushort Port, string VirtualHost, string Username, string Password)
{
    public static RabbitMqAddress Parse(string connectionString)
    {
        var uri = new Uri(connectionString);
        var userInfo = uri.UserInfo.Split(':', 2);
        var path = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        return new RabbitMqAddress(
            uri.Host,
            (ushort)(uri.IsDefaultPort || uri.Port < 0 ? 5672 : uri.Port),
            string.IsNullOrEmpty(path) ? "/" : path,
            userInfo.Length > 0 && userInfo[0].Length > 0 ? Uri.UnescapeDataString(userInfo[0]) : "guest",
            userInfo.Length > 1 ? Uri.UnescapeDataString(userInfo[1]) : "guest");
    }
}
