using System.Text.Json;
using System.Text.RegularExpressions;
using QueryGuard.Baseline;

namespace QueryGuard.Tests.EndToEnd;

/// <summary>
/// The baseline as a user runs it (docs/baseline.md): record with one command, edit unrelated code and build clean,
/// add a violation and see only it, fix a baselined one and refresh so it drops out.
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class BaselineEndToEndTests
{
    private const string Project = "Baselined";
    private const string UpdateBaseline = "-p:QueryGuardUpdateBaseline=true";
    private const string DeleteDocMember = "M:Consumer.Store.DeleteDoc(System.String)";
    private const string FindCustomersMember = "M:Consumer.Store.FindCustomers(System.String)";

    private static readonly Regex AnyQueryGuardDiagnostic = new(@": (warning|error|info) QG\d{4}:");

    private readonly PackedQueryGuard _package;

    public BaselineEndToEndTests(PackedQueryGuard package) => _package = package;

    private string StorePath => Path.Combine(_package.ProjectDirectory(Project), "Store.cs");

    private string BaselinePath => Path.Combine(_package.ProjectDirectory(Project), "queryguard.baseline.json");

    [Fact]
    public void Record_EditUnrelatedCode_AddAViolation_FixOne_Refresh()
    {
        // 1. One command records both findings, and that build does not fail on them.
        var record = _package.Build(Project, UpdateBaseline);
        Assert.True(record.ExitCode == 0, record.ToString());
        Assert.Contains("QueryGuard: recorded 2 finding(s)", record.Output, StringComparison.Ordinal);
        Assert.Equal(
            new[] { (RuleIdentifiers.WriteMatchesEveryDocument, DeleteDocMember), (RuleIdentifiers.OperationOmitsShardKey, FindCustomersMember) },
            ReadBaseline());

        // 2. Unrelated edits: a new type and a method above the findings move every line, and the broadcast filter
        //    is reformatted. The build is clean.
        Edit(
            ("public sealed class Store\n{", "public static class Clock\n{\n    public static DateTime Now => DateTime.UtcNow;\n}\n\npublic sealed class Store\n{\n    public int Version => 2;\n\n"),
            (ConsumerProjects.BroadcastFindFilter, "x =>\n            x.Name  ==  name"));
        var clean = _package.Build(Project);
        Assert.True(clean.ExitCode == 0, clean.ToString());
        Assert.False(AnyQueryGuardDiagnostic.IsMatch(clean.Output), clean.ToString());

        // 3. A new violation: the build reports it and nothing else.
        const string newViolation = "FilterDefinition<Doc>.Empty";
        Edit(("    public int Version => 2;\n", $"    public int Version => 2;\n\n    public DeleteResult DeleteAll() => _docs.DeleteMany({newViolation});\n"));
        var withNew = _package.Build(Project);
        Assert.True(withNew.ExitCode == 0, withNew.ToString());
        var (line, column) = ConsumerProjects.Locate(File.ReadAllText(StorePath), newViolation);
        var reported = Assert.Single(BuildDiagnostic.Parse(withNew.Output));
        Assert.Equal(("Store.cs", line, column, RuleIdentifiers.WriteMatchesEveryDocument), (Path.GetFileName(reported.File), reported.Line, reported.Column, reported.Id));

        // 4. Fix a baselined violation and refresh: it drops out, the new one is recorded.
        Edit(("_docs.DeleteMany(Builders<Doc>.Filter.Empty)", "_docs.DeleteMany(Builders<Doc>.Filter.Eq(x => x.Id, id))"));
        var refresh = _package.Build(Project, UpdateBaseline);
        Assert.True(refresh.ExitCode == 0, refresh.ToString());
        Assert.Contains("QueryGuard: recorded 2 finding(s)", refresh.Output, StringComparison.Ordinal);
        Assert.Contains("(1 new, 1 no longer found)", refresh.Output, StringComparison.Ordinal);
        Assert.Equal(
            new[] { (RuleIdentifiers.WriteMatchesEveryDocument, "M:Consumer.Store.DeleteAll"), (RuleIdentifiers.OperationOmitsShardKey, FindCustomersMember) },
            ReadBaseline());
    }

    [Fact]
    public void SeveralTargetFrameworks_RecordTheFindingsOfEach()
    {
        const string multiTarget = "MultiTarget";
        var baselinePath = Path.Combine(_package.ProjectDirectory(multiTarget), "queryguard.baseline.json");

        // Each framework compiles in parallel; the baseline is the union of what each reported.
        var record = _package.Build(multiTarget, UpdateBaseline);
        Assert.True(record.ExitCode == 0, record.ToString());
        Assert.Equal(
            new[] { (RuleIdentifiers.WriteMatchesEveryDocument, "M:Consumer.Store.DeleteAllOnNet10"), (RuleIdentifiers.WriteMatchesEveryDocument, DeleteDocMember) },
            ReadBaseline(baselinePath));

        var clean = _package.Build(multiTarget);
        Assert.True(clean.ExitCode == 0, clean.ToString());
        Assert.False(AnyQueryGuardDiagnostic.IsMatch(clean.Output), clean.ToString());

        // Fixed in the one framework that had it: refreshing drops it.
        var storePath = Path.Combine(_package.ProjectDirectory(multiTarget), "Store.cs");
        File.WriteAllText(storePath, File.ReadAllText(storePath).Replace("_docs.DeleteMany(FilterDefinition<Doc>.Empty)", "_docs.DeleteMany(Builders<Doc>.Filter.Eq(x => x.Id, \"x\"))", StringComparison.Ordinal));
        var refresh = _package.Build(multiTarget, UpdateBaseline);
        Assert.True(refresh.ExitCode == 0, refresh.ToString());
        Assert.Equal(new[] { (RuleIdentifiers.WriteMatchesEveryDocument, DeleteDocMember) }, ReadBaseline(baselinePath));
    }

    [Fact]
    public void BaselineTool_ReadsTheSarifLogOfARealCompile()
    {
        // The SARIF 2.1 log Roslyn writes for Consumer (no baseline): every QueryGuard finding with its fingerprint.
        var build = _package.DefaultBuild;
        Assert.True(build.ExitCode == 0, build.ToString());

        var entries = SarifBaseline.Read(new[] { File.ReadAllText(_package.DefaultSarifPath) }, _package.ProjectDirectory("Consumer"));

        Assert.Equal(
            new[] { (RuleIdentifiers.WriteMatchesEveryDocument, DeleteDocMember, "Store.cs"), (RuleIdentifiers.OperationOmitsShardKey, FindCustomersMember, "Store.cs") },
            entries.Select(e => (e.Rule, e.Member, e.File)));
        Assert.All(entries, e => Assert.Matches("^[0-9a-f]{16}$", e.Fingerprint));
        Assert.StartsWith("DeleteMany on 'docs' matches every document", entries[0].Message, StringComparison.Ordinal);
    }

    private IReadOnlyList<(string Rule, string Member)> ReadBaseline() => ReadBaseline(BaselinePath);

    private static IReadOnlyList<(string Rule, string Member)> ReadBaseline(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        Assert.Equal(1, document.RootElement.GetProperty("version").GetInt32());
        return document.RootElement.GetProperty("findings").EnumerateArray()
            .Select(f => (f.GetProperty("rule").GetString()!, f.GetProperty("member").GetString()!))
            .ToList();
    }

    private void Edit(params (string Original, string Replacement)[] edits)
    {
        var source = File.ReadAllText(StorePath).ReplaceLineEndings("\n");
        foreach (var (original, replacement) in edits)
        {
            var index = source.IndexOf(original, StringComparison.Ordinal);
            Assert.True(index >= 0, $"'{original}' is not in Store.cs");
            source = source[..index] + replacement + source[(index + original.Length)..];
        }

        File.WriteAllText(StorePath, source);
    }
}
