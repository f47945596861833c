using System.Text.RegularExpressions;
using QueryGuard.Tests.Verification;

namespace QueryGuard.Tests.EndToEnd;

/// <summary>
/// The README's first command, run as written, prints exactly the findings the README shows. While the README
/// shows none (no block between the markers), the command must print none; once the rules report, this fails
/// with the lines to paste, so the README cannot fall behind the sample.
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class ReadmeSampleTests
{
    private const string BlockStart = "<!-- sample-output -->";
    private const string BlockEnd = "<!-- /sample-output -->";

    private static readonly Regex Finding = new(@": (warning|error) QG\d{4}: ");

    [Fact]
    public void Readme_ShowsWhatTheSampleBuildPrints()
    {
        var root = ReferenceAssemblies.RepositoryRoot;
        var readme = File.ReadAllText(Path.Combine(root, "README.md"));
        var command = readme.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("dotnet build samples/TrelloService", StringComparison.Ordinal));

        // Run in the same collection as the other end-to-end tests: the command rebuilds the analyzer projects,
        // which the package tests pack, and the two must not build them at the same time.
        var build = DotNetCli.Run(root, TimeSpan.FromMinutes(5), null, [.. command["dotnet ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries), "-tl:off", "-nodeReuse:false"]);
        Assert.True(build.ExitCode == 0, build.ToString());

        var printed = build.Output.Split('\n')
            .Where(line => Finding.IsMatch(line))
            .Select(line => Normalize(line, root))
            .Distinct()
            // The compiler reports in no fixed order (analysis is concurrent); the README lists them sorted.
            .OrderBy(line => line, StringComparer.Ordinal)
            .ToList();
        var shown = ReadmeBlock(readme);
        Assert.True(
            shown.SequenceEqual(printed),
            $"README.md must show what '{command}' prints. Put these lines in a ```text block between {BlockStart} and {BlockEnd}:\n" +
            string.Join('\n', printed) + "\n\nIt shows:\n" + string.Join('\n', shown));
    }

    /// <summary>Paths relative to the repository, without MSBuild's trailing project name.</summary>
    private static string Normalize(string line, string root) =>
        Regex.Replace(line.Trim().Replace(root.TrimEnd('/') + "/", ""), @" \[[^\]]+\.csproj\]$", "");

    private static IReadOnlyList<string> ReadmeBlock(string readme)
    {
        var start = readme.IndexOf(BlockStart, StringComparison.Ordinal);
        if (start < 0)
        {
            return Array.Empty<string>();
        }

        var end = readme.IndexOf(BlockEnd, start, StringComparison.Ordinal);
        return readme[(start + BlockStart.Length)..end].Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith("```", StringComparison.Ordinal))
            .ToList();
    }
}
