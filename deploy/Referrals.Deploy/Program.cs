namespace Referrals.Deploy;

internal static class Program
{
    public static Task<int> Main(string[] args) => Cli.RunAsync(args);
}
