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
