using System.Text;
using Microsoft.CodeAnalysis.Text;
using QueryGuard.Baseline;

namespace QueryGuard.Tests.Baseline;

/// <summary>
/// The package's baseline tool: SARIF 2.1 (as Roslyn's logger writes it, diagnostic properties under
/// <c>properties.customProperties</c>) in, <c>queryguard.baseline.json</c> out. The conversion of a log written by a
/// real compile is tested end to end (BaselineEndToEndTests).
/// </summary>
public sealed class BaselineToolTests : IDisposable
{
    private readonly string _folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "queryguard-baseline-" + Guid.NewGuid().ToString("N")[..8])).FullName;

    private string ProjectFile(string name) => Path.Combine(_folder, name);

    private string Result(string rule, string? fingerprint, string member, string file, string message, bool suppressed = false) =>
        $$"""
        {
          "ruleId": "{{rule}}",
          "level": "warning",
          "message": { "text": "{{message}}" },
          {{(suppressed ? "\"suppressions\": [ { \"kind\": \"inSource\" } ]," : "")}}
          "locations": [ { "physicalLocation": { "artifactLocation": { "uri": "{{new Uri(ProjectFile(file)).AbsoluteUri}}" }, "region": { "startLine": 3, "startColumn": 5 } } } ],
          "properties": { "warningLevel": 1, "customProperties": { {{(fingerprint is null ? "" : $"\"Fingerprint\": \"{fingerprint}\", ")}}"FingerprintMember": "{{member}}", "Keys": "_id" } }
        }
        """;

    private static string Sarif(params string[] results) =>
        $$"""{ "$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": [ { "results": [ {{string.Join(",", results)}} ], "tool": { "driver": { "name": "Microsoft (R) Visual C# Compiler" } } } ] }""";

    [Fact]
    public void Read_KeepsQueryGuardFindingsWithAFingerprint_OncePerRuleAndFingerprint_Sorted()
    {
        var sarif = Sarif(
            Result("QG2001", "bbbbbbbbbbbbbbbb", "M:Shop.Orders.Find(System.String)", "Orders.cs", "Find on 'orders' is sent to every shard"),
            Result("QG1001", "aaaaaaaaaaaaaaaa", "M:Shop.Orders.Purge", "Data/Orders.cs", "DeleteMany on 'orders' matches every document"),
            Result("QG1001", "aaaaaaaaaaaaaaaa", "M:Shop.Orders.Purge", "Data/Orders.cs", "DeleteMany on 'orders' matches every document"),
            Result("QG1001", "cccccccccccccccc", "M:Shop.Orders.Other", "Orders.cs", "suppressed in source", suppressed: true),
            Result("QG0001", null, "", "queryguard.json", "configuration error"),
            Result("CS0168", "dddddddddddddddd", "", "Orders.cs", "not QueryGuard"));

        var entries = SarifBaseline.Read(new[] { sarif }, _folder);

        Assert.Equal(
            new[]
            {
                new BaselineEntry("QG1001", "aaaaaaaaaaaaaaaa", "M:Shop.Orders.Purge", "Data/Orders.cs", "DeleteMany on 'orders' matches every document"),
                new BaselineEntry("QG2001", "bbbbbbbbbbbbbbbb", "M:Shop.Orders.Find(System.String)", "Orders.cs", "Find on 'orders' is sent to every shard"),
            },
            entries);
    }

    [Fact]
    public void Write_ProducesTheDocumentedFormat_WhichTheAnalyzerReadsWithoutErrors()
    {
        var entries = new[] { new BaselineEntry("QG1001", "aaaaaaaaaaaaaaaa", "M:Shop.Orders.Purge", "Orders.cs", "DeleteMany on 'orders' matches every document") };

        var json = SarifBaseline.Write(entries);

        Assert.Equal(
            """
            {
              "version": 1,
              "findings": [
                {
                  "rule": "QG1001",
                  "fingerprint": "aaaaaaaaaaaaaaaa",
                  "member": "M:Shop.Orders.Purge",
                  "file": "Orders.cs",
                  "message": "DeleteMany on 'orders' matches every document"
                }
              ]
            }

            """.ReplaceLineEndings("\n"),
            json);
        var read = BaselineFile.Read("queryguard.baseline.json", SourceText.From(json));
        Assert.Empty(read.Errors);
        Assert.True(read.Contains("QG1001", "aaaaaaaaaaaaaaaa"));
        Assert.False(read.Contains("QG1002", "aaaaaaaaaaaaaaaa"));
    }

    [Fact]
    public void Run_ReplacesTheBaseline_AndSaysWhatChanged()
    {
        var baseline = ProjectFile("queryguard.baseline.json");
        File.WriteAllText(baseline, SarifBaseline.Write(new[]
        {
            new BaselineEntry("QG1001", "aaaaaaaaaaaaaaaa", "M:Shop.Orders.Purge", "Orders.cs", "fixed since"),
            new BaselineEntry("QG2001", "bbbbbbbbbbbbbbbb", "M:Shop.Orders.Find", "Orders.cs", "still there"),
        }));
        var sarif = ProjectFile("build.sarif");
        File.WriteAllText(sarif, Sarif(
            Result("QG2001", "bbbbbbbbbbbbbbbb", "M:Shop.Orders.Find", "Orders.cs", "still there"),
            Result("QG1003", "eeeeeeeeeeeeeeee", "M:Shop.Orders.Close", "Orders.cs", "new")));
        var output = new StringWriter();

        var exitCode = BaselineTool.Run(new[] { "--output", baseline, "--sarif", sarif, "--project-dir", _folder }, output, new StringWriter());

        Assert.Equal(0, exitCode);
        Assert.Equal($"QueryGuard: recorded 2 finding(s) in {baseline} (1 new, 1 no longer found).", output.ToString().Trim());
        var written = File.ReadAllText(baseline);
        Assert.DoesNotContain("aaaaaaaaaaaaaaaa", written, StringComparison.Ordinal);
        Assert.Contains("bbbbbbbbbbbbbbbb", written, StringComparison.Ordinal);
        Assert.Contains("eeeeeeeeeeeeeeee", written, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_ForOneFrameworkOfSeveral_WritesItsPart_AndTheUnionOfAllParts()
    {
        var baseline = ProjectFile("queryguard.baseline.json");
        var net8 = ProjectFile("queryguard.baseline.net8.0.json");
        var net10 = ProjectFile("queryguard.baseline.net10.0.json");
        File.WriteAllText(net8, SarifBaseline.Write(new[]
        {
            new BaselineEntry("QG1001", "aaaaaaaaaaaaaaaa", "M:Shop.Orders.Purge", "Orders.cs", "in both"),
            new BaselineEntry("QG2001", "ffffffffffffffff", "M:Shop.Orders.Net8Only", "Orders.cs", "only on net8.0"),
        }));
        var sarif = ProjectFile("build.sarif");
        File.WriteAllText(sarif, Sarif(
            Result("QG1001", "aaaaaaaaaaaaaaaa", "M:Shop.Orders.Purge", "Orders.cs", "in both"),
            Result("QG1003", "eeeeeeeeeeeeeeee", "M:Shop.Orders.Net10Only", "Orders.cs", "only on net10.0")));

        var exitCode = BaselineTool.Run(
            new[] { "--output", baseline, "--sarif", sarif, "--project-dir", _folder, "--part", net10, "--merge", net8, "--merge", net10 },
            new StringWriter(),
            new StringWriter());

        Assert.Equal(0, exitCode);
        Assert.Equal(new[] { "aaaaaaaaaaaaaaaa", "eeeeeeeeeeeeeeee" }, SarifBaseline.ReadEntries(File.ReadAllText(net10)).Select(e => e.Fingerprint));
        Assert.Equal(
            new[] { ("QG1001", "aaaaaaaaaaaaaaaa"), ("QG1003", "eeeeeeeeeeeeeeee"), ("QG2001", "ffffffffffffffff") },
            SarifBaseline.ReadEntries(File.ReadAllText(baseline)).Select(e => (e.Rule, e.Fingerprint)));
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("sarif1")]
    [InlineData("notjson")]
    public void Run_WithoutAUsableLog_FailsWithQGBUILD03_AndLeavesTheBaselineAlone(string problem)
    {
        var baseline = ProjectFile("queryguard.baseline.json");
        File.WriteAllText(baseline, "unchanged");
        var sarif = ProjectFile("build.sarif");
        if (problem == "sarif1")
        {
            File.WriteAllText(sarif, """{ "version": "1.0.0", "runs": [] }""");
        }
        else if (problem == "notjson")
        {
            File.WriteAllText(sarif, "{ not json");
        }

        var error = new StringWriter();
        var exitCode = BaselineTool.Run(new[] { "--output", baseline, "--sarif", sarif }, new StringWriter(), error);

        Assert.Equal(1, exitCode);
        Assert.StartsWith("QueryGuard.Baseline : error QGBUILD03: ", error.ToString(), StringComparison.Ordinal);
        Assert.Equal("unchanged", File.ReadAllText(baseline, Encoding.UTF8));
    }

    [Fact]
    public void Run_WithoutArguments_ExplainsItsUsage()
    {
        var error = new StringWriter();

        Assert.Equal(1, BaselineTool.Run(Array.Empty<string>(), new StringWriter(), error));
        Assert.Contains("--output and at least one --sarif are required", error.ToString(), StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
