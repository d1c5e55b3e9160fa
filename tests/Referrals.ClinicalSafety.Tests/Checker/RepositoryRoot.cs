namespace Referrals.ClinicalSafety.Tests.Checker;

/// <summary>The repository root: the nearest folder, from the test assembly upwards, holding Referrals.sln.</summary>
public static class RepositoryRoot
{
    public const string SolutionFile = "Referrals.sln";

    public static string Find() => Find(AppContext.BaseDirectory);

    public static string Find(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFile)))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No {SolutionFile} in '{start}' or any folder above it.");
    }
}
