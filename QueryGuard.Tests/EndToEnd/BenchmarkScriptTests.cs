using System.Text.RegularExpressions;
using QueryGuard.Tests.Verification;

namespace QueryGuard.Tests.EndToEnd;

/// <summary>
/// Keeps <c>bench/run.sh</c> working: a tiny version of the benchmark (20 files, 200 call sites, one run of each
/// configuration) must generate workloads that compile, build every configuration and print the four result lines
/// last, each with a number; and the in-process profiling harness (bench/InProcess) must build and find the workload's
/// unsafe writes. It measures nothing: the numbers of so small a run mean little (bench/README.md).
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class BenchmarkScriptTests
{
    private static readonly string[] ResultLines =
    {
        @"^queryguard/floor analyzer time: \d+(\.\d+)?$",
        @"^queryguard share of compile time: \d+(\.\d+)?%$",
        @"^queryguard time without MongoDB\.Driver: \d+(\.\d+)? ms$",
        @"^queryguard vs peer median rule: \d+(\.\d+)?$",
    };

    [Fact]
    public void TinyRun_PrintsTheFourResultLinesLast()
    {
        var root = ReferenceAssemblies.RepositoryRoot;
        var output = Path.Combine(Path.GetTempPath(), "queryguard-bench-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            // In the end-to-end collection: run.sh builds QueryGuard.Analyzers, which the package tests also build.
            var run = DotNetCli.RunProgram("bash", root, TimeSpan.FromMinutes(10), null,
                Path.Combine(root, "bench", "run.sh"), "--files", "20", "--sites", "200", "--runs", "1", "--out", output);
            Assert.True(run.ExitCode == 0, run.ToString());

            var lines = run.Output.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
            Assert.True(lines.Count >= ResultLines.Length, run.ToString());
            // Before them, every build's figure (one run here), so a reader sees the spread behind the medians.
            Assert.Contains(lines, l => Regex.IsMatch(l, @"^per build, in run order: queryguard \d+ ms; peer \d+ ms; floor \d+ ms; csc with queryguard \d+ ms$"));
            var last = lines.TakeLast(ResultLines.Length).ToList();
            for (var i = 0; i < ResultLines.Length; i++)
            {
                Assert.True(Regex.IsMatch(last[i], ResultLines[i]), $"line {i + 1} of the last four is '{last[i]}', expected {ResultLines[i]}.\n{run}");
            }

            // The profiling harness (bench/InProcess) must keep building and must see the same analyzers at work on
            // the generated workload: the two unsafe shapes give QG1001 and QG1002 findings.
            var inProcessOut = Path.Combine(output, "tools", "inprocess");
            var build = DotNetCli.Run(root, TimeSpan.FromMinutes(5), null, "build", Path.Combine(root, "bench", "InProcess"), "-c", "Release", "-o", inProcessOut, "-nologo", "-v:q");
            Assert.True(build.ExitCode == 0, build.ToString());
            var profile = DotNetCli.Run(root, TimeSpan.FromMinutes(5), null, Path.Combine(inProcessOut, "qg-inprocess.dll"),
                "--work", Path.Combine(output, "work", "driver"), "--driver", ReferenceAssemblies.DriverPath(DriverVersion.V3), "--iterations", "1");
            Assert.True(profile.ExitCode == 0, profile.ToString());
            Assert.Matches(@"compiler errors 0, diagnostics .*QG1001=[1-9]\d*.*QG1002=[1-9]\d*", profile.Output);
            Assert.Matches(@"MongoOperationAnalyzer\s+\d+(\.\d+)? ms", profile.Output);
        }
        finally
        {
            if (Environment.GetEnvironmentVariable("QUERYGUARD_E2E_KEEP") != "1" && Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }
}
