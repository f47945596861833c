using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using QueryGuard.Tests.Verification;

namespace QueryGuard.Tests.Infrastructure;

/// <summary>Help links resolve to a page in this repository, and the README's rule table is the descriptor table.</summary>
public class DocumentationTests
{
    public static TheoryData<string> RuleIds()
    {
        var data = new TheoryData<string>();
        foreach (var descriptor in Descriptors.All)
        {
            data.Add(descriptor.Id);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void EveryDescriptor_HasAHelpLinkToItsPage(string id)
    {
        var descriptor = Descriptors.All.Single(d => d.Id == id);
        var page = Path.Combine(ReferenceAssemblies.RepositoryRoot, "docs", "rules", id + ".md");

        Assert.Equal(RuleIdentifiers.GetHelpUri(id), descriptor.HelpLinkUri);
        Assert.EndsWith("/docs/rules/" + id + ".md", descriptor.HelpLinkUri, StringComparison.Ordinal);
        Assert.True(File.Exists(page), $"{id} has no page at docs/rules/{id}.md");
        Assert.Equal($"# {id}: {descriptor.Title}", File.ReadLines(page).First());
        Assert.Equal(RuleIdentifiers.Category, descriptor.Category);
    }

    [Fact]
    public void DescriptorTable_HasUniqueIdsInTheDocumentedRanges()
    {
        var ids = Descriptors.All.Select(d => d.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Matches("^QG[012][0-9]{3}$", id));
    }

    [Fact]
    public void ReadmeRuleTable_MatchesTheDescriptors()
    {
        var readme = File.ReadAllText(Path.Combine(ReferenceAssemblies.RepositoryRoot, "README.md"));
        var rows = Regex.Matches(readme, @"^\| \[(QG\d{4})\]\(docs/rules/(QG\d{4})\.md\) \| (.+?) \| (\w+) \|$", RegexOptions.Multiline)
            .Select(m => (Id: m.Groups[1].Value, Link: m.Groups[2].Value, Title: m.Groups[3].Value, Severity: m.Groups[4].Value))
            .ToList();

        var expected = Descriptors.All.Select(d => (d.Id, Link: d.Id, Title: d.Title.ToString(), Severity: d.DefaultSeverity.ToString())).ToList();
        Assert.Equal(expected, rows);
    }

    [Fact]
    public void ReleaseTracking_ListsEveryDescriptor()
    {
        var unshipped = File.ReadAllText(Path.Combine(ReferenceAssemblies.RepositoryRoot, "QueryGuard.Analyzers", "AnalyzerReleases.Unshipped.md"));
        foreach (var descriptor in Descriptors.All)
        {
            Assert.Matches($@"(?m)^{descriptor.Id} \| QueryGuard \| {descriptor.DefaultSeverity} \|", unshipped);
        }
    }
}

/// <summary>The documentation names exactly what the code has: rules, configuration settings, MSBuild properties.</summary>
public class DocumentationMatchesCodeTests
{
    private static string Root => ReferenceAssemblies.RepositoryRoot;

    [Fact]
    public void EveryRulePage_IsARule()
    {
        var pages = Directory.GetFiles(Path.Combine(Root, "docs", "rules"), "QG*.md").Select(f => Path.GetFileNameWithoutExtension(f)!).OrderBy(p => p, StringComparer.Ordinal).ToList();
        Assert.Equal(Descriptors.All.Select(d => d.Id).OrderBy(id => id).ToList(), pages);
    }

    [Fact]
    public void RuleIndex_ListsEveryRule()
    {
        var index = File.ReadAllText(Path.Combine(Root, "docs", "rules", "README.md"));
        foreach (var descriptor in Descriptors.All)
        {
            Assert.Matches($@"(?m)^\| {descriptor.Id} \| {Regex.Escape(descriptor.Title.ToString())} \| {descriptor.DefaultSeverity} \| \[{descriptor.Id}\.md\]\({descriptor.Id}\.md\) \|$", index);
        }
    }

    [Fact]
    public void ConfigurationSettings_AreExactlyTheOnesTheReaderAccepts()
    {
        Assert.Equal(Sorted(QueryGuard.Configuration.ConfigurationFileReader.TopLevelKeys), TableKeys("settings-table"));
        Assert.Equal(Sorted(QueryGuard.Configuration.ConfigurationFileReader.CollectionKeys), TableKeys("collection-settings-table"));
    }

    [Fact]
    public void MSBuildProperties_AreExactlyTheOnesThePackageReads()
    {
        // QueryGuardConfigPath is how the targets hand the resolved path to the analyzer, not a user setting.
        var internalProperties = new[] { "QueryGuardConfigPath" };
        var read = Directory.GetFiles(Path.Combine(Root, "QueryGuard.Package", "build"))
            .Where(f => f.EndsWith(".props", StringComparison.Ordinal) || f.EndsWith(".targets", StringComparison.Ordinal))
            .SelectMany(f => Regex.Matches(File.ReadAllText(f), @"\$\((QueryGuard[A-Za-z]+)\)").Select(m => m.Groups[1].Value))
            .Except(internalProperties)
            .Distinct()
            .OrderBy(p => p, StringComparer.Ordinal)
            .ToList();

        Assert.NotEmpty(read);
        Assert.Equal(read, TableKeys("msbuild-properties-table"));
    }

    private static List<string> Sorted(IEnumerable<string> keys) => keys.OrderBy(k => k, StringComparer.Ordinal).ToList();

    /// <summary>The first-column names of the table between <c>&lt;!-- name --&gt;</c> markers in docs/configuration.md.</summary>
    private static List<string> TableKeys(string marker)
    {
        var text = File.ReadAllText(Path.Combine(Root, "docs", "configuration.md"));
        var start = text.IndexOf($"<!-- {marker} -->", StringComparison.Ordinal);
        var end = text.IndexOf($"<!-- /{marker} -->", StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"docs/configuration.md has no {marker} block");
        return Regex.Matches(text[start..end], @"^\| `([A-Za-z]+)` \|", RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value)
            .OrderBy(k => k, StringComparer.Ordinal)
            .ToList();
    }
}
