using Xunit.Abstractions;

namespace QueryGuard.Tests.Robustness;

/// <summary>
/// The numbers a robustness test prints. xunit 2 under <c>dotnet test</c> shows neither test output nor the test
/// process's console for passing tests at the default verbosity (and a more verbose console logger changes the
/// summary line CI reads), so besides the test output and the console, each line is appended to the file named by
/// <c>QUERYGUARD_REPORT</c> when it is set: <c>.ci/run</c> sets it and prints the file after the test run.
/// </summary>
internal static class RobustnessReport
{
    private static readonly object FileLock = new();

    public static void Write(ITestOutputHelper output, string line)
    {
        output.WriteLine(line);
        Console.WriteLine(line);
        if (Environment.GetEnvironmentVariable("QUERYGUARD_REPORT") is { Length: > 0 } path)
        {
            lock (FileLock)
            {
                File.AppendAllText(path, line + Environment.NewLine);
            }
        }
    }
}
