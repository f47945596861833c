using Microsoft.CodeAnalysis.Text;
using QueryGuard.Tests.Verification;
using static QueryGuard.Tests.Baseline.BaselineTestSource;

namespace QueryGuard.Tests.Baseline;

/// <summary>The analyzer side of the baseline: findings in <c>queryguard.baseline.json</c> are not reported.</summary>
public sealed class BaselineAnalyzerTests
{
    private const string NewViolation = """
            public void Reset() => _orders.UpdateMany(Builders<Order>.Filter.Empty, Builders<Order>.Update.Set(o => o.Status, "new"));

            public void Purge(
        """;

    [Fact]
    public async Task BaselinedFindings_AreNotReported_AfterUnrelatedEdits_AndANewOneIs()
    {
        var baseline = BaselineOf(await FindingsAsync(Original));

        var unchanged = await FindingsAsync(Original, Files(baseline));
        var withNewViolation = await FindingsAsync(Replace(Original, "public void Purge(", NewViolation), Files(baseline));

        Assert.Empty(unchanged);
        var reported = Assert.Single(withNewViolation);
        Assert.Equal(("QG1001", "M:Shop.Orders.Reset"), (reported.Id, reported.Member));
    }

    [Fact]
    public async Task BaselinedFinding_WhoseFilterChanges_IsReportedAgain()
    {
        var baseline = BaselineOf(await FindingsAsync(Original));

        var findings = await FindingsAsync(Replace(Original, "o => o.Status != \"closed\"", "o => o.Status != \"done\""), Files(baseline));

        Assert.Equal("QG1003", Assert.Single(findings).Id);
    }

    [Fact]
    public async Task ABaselineEntry_OnlyCoversItsOwnRule()
    {
        var purge = (await FindingsAsync(Original)).Single(f => f.Id == "QG1001");
        var otherRule = BaselineOf(new[] { purge with { Id = "QG1003" } });

        var findings = await FindingsAsync(Original, Files(otherRule));

        Assert.Equal(new[] { "QG1001", "QG1003" }, findings.Select(f => f.Id));
    }

    [Fact]
    public async Task UpdatingTheBaseline_ReportsEveryFinding()
    {
        var baseline = BaselineOf(await FindingsAsync(Original));

        var findings = await FindingsAsync(Original, Files(baseline), "build_property.QueryGuardUpdateBaseline = true\n");

        Assert.Equal(new[] { "QG1001", "QG1003" }, findings.Select(f => f.Id));
    }

    [Fact]
    public async Task QueryGuardBaselinePath_SelectsTheFile_AndAnotherFileOfTheDefaultNameIsIgnored()
    {
        var findings = await FindingsAsync(Original);
        var files = new Dictionary<string, string>
        {
            ["config/accepted.json"] = BaselineOf(findings.Where(f => f.Id == "QG1001")),
            ["queryguard.baseline.json"] = BaselineOf(findings),
        };

        var reported = await FindingsAsync(Original, files, $"build_property.QueryGuardBaselinePath = {TestProject.Folder}config/accepted.json\n");

        Assert.Equal("QG1003", Assert.Single(reported).Id);
    }

    [Fact]
    public async Task EmptyBaseline_ChangesNothing()
    {
        var findings = await FindingsAsync(Original, Files("{ \"version\": 1, \"findings\": [] }"));

        Assert.Equal(2, findings.Count);
    }

    public static TheoryData<string, string, string> Malformed() => new()
    {
        // (baseline, QG0001 at this text, message fragment)
        { "{ \"version\": 1, \"findings\": [ } ", "}", "is not valid JSON" },
        { "[]", "[]", "must contain a JSON object" },
        { "{ \"version\": 2, \"findings\": [] }", "2", "version must be 1" },
        { "{ \"version\": 1, \"findings\": {} }", "{}", "'findings' must be an array" },
        { "{ \"version\": 1, \"findings\": [], \"extra\": 0 }", "\"extra\"", "Unknown setting 'extra'" },
        { "{ \"version\": 1, \"findings\": [ 5 ] }", "5", "Each finding must be an object" },
        { "{ \"version\": 1, \"findings\": [ { \"rule\": \"QG1001\", \"fingerprint\": 7 } ] }", "7", "'fingerprint' must be a non-empty string" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task MalformedBaseline_IsQG0001AtItsPosition_NeverAnException(string baseline, string at, string fragment)
    {
        var test = new QueryGuardTest { Source = Original, ComparedRuleIds = new[] { RuleIdentifiers.InvalidConfiguration } };
        test.AdditionalFiles["queryguard.baseline.json"] = baseline;
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(RuleIdentifiers.InvalidConfiguration).InFile("queryguard.baseline.json", new TextSpan(baseline.LastIndexOf(at, StringComparison.Ordinal), at.Length)));
        await test.RunAsync();

        var (_, analyzer) = await TestProject.GetDiagnosticsAsync(TestProject.Create(new[] { Original }, additionalFiles: test.AdditionalFiles));
        Assert.Contains(fragment, Assert.Single(analyzer, d => d.Id == RuleIdentifiers.InvalidConfiguration).GetMessage(), StringComparison.Ordinal);

        // Nothing is baselined by a file that cannot be read.
        Assert.Equal(2, analyzer.Count(d => d.Id is "QG1001" or "QG1003"));
    }

    [Fact]
    public async Task EntryWithoutAFingerprint_IsReported_AndTheOthersStillApply()
    {
        var purge = (await FindingsAsync(Original)).Single(f => f.Id == "QG1001");
        var baseline = $"{{ \"version\": 1, \"findings\": [ {{ \"rule\": \"QG1003\" }}, {{ \"rule\": \"QG1001\", \"fingerprint\": \"{purge.Fingerprint}\" }} ] }}";

        var (_, analyzer) = await TestProject.GetDiagnosticsAsync(TestProject.Create(new[] { Original }, additionalFiles: Files(baseline)));

        Assert.Equal(new[] { "QG0001", "QG1003" }, analyzer.Select(d => d.Id).Order(StringComparer.Ordinal));
        Assert.Contains("A finding has no 'fingerprint'", analyzer.Single(d => d.Id == "QG0001").GetMessage(), StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Files(string baseline) => new() { ["queryguard.baseline.json"] = baseline };
}
