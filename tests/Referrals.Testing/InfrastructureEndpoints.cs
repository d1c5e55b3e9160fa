namespace Referrals.Testing;

/// <summary>Where the test PostgreSQL and RabbitMQ servers are.</summary>
/// <param name="PostgresConnectionString">Npgsql connection string of a superuser (tests create schemas and databases).</param>
/// <param name="RabbitMqUri">amqp://user:password@host:port/ of an administrator on the default virtual host.</param>
/// <param name="RabbitMqManagementUri">Base address of the RabbitMQ management HTTP API, e.g. http://127.0.0.1:55673/.</param>
public sealed record InfrastructureEndpoints(string PostgresConnectionString, Uri RabbitMqUri, Uri RabbitMqManagementUri)
{
    /// <summary>The RabbitMQ user name carried in <see cref="RabbitMqUri"/>.</summary>
    public string RabbitMqUserName => Credentials.UserName;

    /// <summary>The RabbitMQ password carried in <see cref="RabbitMqUri"/>.</summary>
    public string RabbitMqPassword => Credentials.Password;

    private (string UserName, string Password) Credentials
    {
        get
        {
            var userInfo = RabbitMqUri.UserInfo;
            if (string.IsNullOrEmpty(userInfo))
            {
                return ("guest", "guest");
            }

            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            return colon < 0
                ? (Uri.UnescapeDataString(userInfo), string.Empty)
                : (Uri.UnescapeDataString(userInfo[..colon]), Uri.UnescapeDataString(userInfo[(colon + 1)..]));
        }
    }
}
