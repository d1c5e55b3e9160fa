namespace Referrals.Testing;

/// <summary>Locates the repository (the folder holding Referrals.sln) from the running test assembly.</summary>
public static class RepositoryPaths
{
    public const string SolutionFileName = "Referrals.sln";

    private static readonly Lazy<string> LazyRoot = new(() => FindRoot(AppContext.BaseDirectory));

    /// <summary>The repository root, found by walking up from <see cref="AppContext.BaseDirectory"/>.</summary>
    public static string Root => LazyRoot.Value;

    /// <summary>deploy/local/infra.sh in the repository.</summary>
    public static string InfraScript => Path.Combine(Root, "deploy", "local", "infra.sh");

    public static string FindRoot(string startDirectory)
    {
        for (var directory = new DirectoryInfo(startDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFileName)))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException(
            $"Could not find {SolutionFileName} in '{startDirectory}' or any folder above it.");
    }
}
