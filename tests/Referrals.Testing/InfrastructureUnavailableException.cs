namespace Referrals.Testing;

/// <summary>The real test servers could not be started or reached. Never caught to skip a test.</summary>
public sealed class InfrastructureUnavailableException : Exception
{
    public InfrastructureUnavailableException()
    {
    }

    public InfrastructureUnavailableException(string message)
        : base(message)
    {
    }

    public InfrastructureUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
