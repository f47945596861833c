using System.Globalization;
using System.Text.RegularExpressions;

namespace QueryGuard.Bench;

/// <summary>
/// Reads the build logs bench/run.sh wrote (<c>CONFIG-RUN.log</c>: <c>dotnet build -v:d -p:ReportAnalyzer=true
/// -clp:PerformanceSummary</c> output, and <c>CONFIG-RUN.time</c>: <c>/usr/bin/time -v</c> output) and prints medians
/// per configuration, then the four result lines. Configurations: <c>none</c>, <c>queryguard</c>, <c>floor</c>,
/// <c>peer</c> on the MongoDB.Driver workload and <c>nodriver</c> (QueryGuard on the workload without the driver).
/// </summary>
internal static class Report
{
    /// <summary>The compiler prints analyzer times in seconds with three decimals; "&lt;0.001" is below that.</summary>
    private const double ResolutionMs = 1.0;

    /// <summary>The rules MongoOperationAnalyzer implements (QG1001-QG1006, QG2001-QG2005).</summary>
    private const int OperationRules = 11;

    private static readonly string[] Configurations = { "none", "queryguard", "floor", "peer", "nodriver" };

    // "   306.886   96   QueryGuard.Analyzers, Version=..." (assembly) and "   306.473   96      QueryGuard.Rules.X (QG1001, ...)" (analyzer).
    private static readonly Regex AnalyzerLine = new(@"^\s+(<?\d+\.\d+)\s+<?\d+\s{3}(\s*)(\S.*?)\s*$", RegexOptions.Compiled);
    private static readonly Regex CscLine = new(@"^\s*(\d+) ms\s+Csc\s+\d+ calls", RegexOptions.Compiled);
    private static readonly Regex MaxRss = new(@"Maximum resident set size \(kbytes\): (\d+)", RegexOptions.Compiled);
    private static readonly Regex CpuTime = new(@"(?:User|System) time \(seconds\): (\d+(?:\.\d+)?)", RegexOptions.Compiled);

    private sealed record Build(double CscMs, double MaxRssMb, double CpuSeconds, IReadOnlyDictionary<string, double> Assemblies, IReadOnlyDictionary<string, double> Analyzers);

    public static int Run(string logs)
    {
        var builds = Configurations.ToDictionary(c => c, c => Directory.GetFiles(logs, c + "-*.log").Order().Select(Parse).ToList());
        foreach (var (configuration, list) in builds)
        {
            if (list.Count == 0)
            {
                throw new InvalidDataException($"no logs for configuration '{configuration}' in {logs}");
            }
        }

        Console.WriteLine();
        Console.WriteLine($"{"configuration",-12} {"builds",6} {"csc ms",9} {"analyzers ms",13} {"max RSS MB",11} {"CPU s",7}");
        foreach (var (configuration, list) in builds)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{configuration,-12} {list.Count,6} {Median(list.Select(b => b.CscMs)),9:F0} {Median(list.Select(b => b.Assemblies.Values.Sum())),13:F0} {Median(list.Select(b => b.MaxRssMb)),11:F0} {Median(list.Select(b => b.CpuSeconds)),7:F1}"));
        }

        var queryGuard = Median(builds["queryguard"].Select(b => AssemblyTime(b, "QueryGuard.Analyzers")));
        var mongoAnalyzer = Median(builds["queryguard"].Select(b => AnalyzerTime(b, "QueryGuard.Rules.MongoOperationAnalyzer")));
        var floorMeasured = Median(builds["floor"].Select(b => AssemblyTime(b, "FloorAnalyzer")));
        var floor = Math.Max(floorMeasured, ResolutionMs);
        var share = Median(builds["queryguard"].Select(b => AssemblyTime(b, "QueryGuard.Analyzers") / b.CscMs * 100));
        var withoutDriver = Median(builds["nodriver"].Select(b => AssemblyTime(b, "QueryGuard.Analyzers")));
        var peerAnalyzers = builds["peer"].Select(b => b.Analyzers.Where(a => a.Key.StartsWith("Meziantou.", StringComparison.Ordinal)).Select(a => a.Value).ToList()).ToList();
        if (peerAnalyzers.Any(p => p.Count == 0))
        {
            throw new InvalidDataException("a peer build reported no Meziantou analyzer");
        }

        var peerMedianRule = Math.Max(Median(peerAnalyzers.Select(Median)), ResolutionMs);
        var memory = Median(builds["queryguard"].Select(b => b.MaxRssMb));
        var memoryNone = Median(builds["none"].Select(b => b.MaxRssMb));

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"queryguard analyzer time: {queryGuard:F0} ms (MongoOperationAnalyzer {mongoAnalyzer:F0} ms); floor analyzer time: {Shown(floorMeasured)}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peer (Meziantou.Analyzer): {peerAnalyzers[0].Count} analyzers reported, median analyzer time {Shown(Median(peerAnalyzers.Select(Median)))}"));
        // The medians hide how far one build's figure moves (bench/README.md: 15 s to 105 s for the same analyzer):
        // every build's value, in run order.
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"per build, in run order: queryguard {PerBuild(builds["queryguard"], b => AssemblyTime(b, "QueryGuard.Analyzers"))} ms; peer {PerBuild(builds["peer"], b => AssemblyTime(b, "Meziantou.Analyzer"))} ms; floor {PerBuild(builds["floor"], b => AssemblyTime(b, "FloorAnalyzer"))} ms; csc with queryguard {PerBuild(builds["queryguard"], b => b.CscMs)} ms"));
        // Context for W, which compares one QueryGuard analyzer doing the work of its 11 operation rules with the
        // peer's median analyzer, most of which find nothing to look at here: the same comparison per rule, against
        // the peer's analyzers that the compiler could measure (at least 1 ms).
        var measurable = peerAnalyzers.Select(p => p.Where(ms => ms >= ResolutionMs).ToList()).ToList();
        var measurableMedian = Median(measurable.Select(m => Median(m)));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"per rule: MongoOperationAnalyzer / {OperationRules} rules = {mongoAnalyzer / OperationRules:F0} ms; peer analyzers measurable (>= 1 ms): {Median(measurable.Select(m => (double)m.Count)):F0}, their median {measurableMedian:F0} ms"));
        var cpu = Median(builds["queryguard"].Select(b => b.CpuSeconds));
        var cpuNone = Median(builds["none"].Select(b => b.CpuSeconds));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"CPU time of the build (user+system, less sensitive to other load than the wall-clock times above): {cpu:F1} s with queryguard, {cpuNone:F1} s without analyzers ({(cpu / cpuNone - 1) * 100:+0.0;-0.0}%)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak memory of the build: {memory:F0} MB with queryguard, {memoryNone:F0} MB without analyzers ({(memory / memoryNone - 1) * 100:+0.0;-0.0}%)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"queryguard/floor analyzer time: {queryGuard / floor:F1}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"queryguard share of compile time: {share:F1}%"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"queryguard time without MongoDB.Driver: {withoutDriver:F0} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"queryguard vs peer median rule: {mongoAnalyzer / peerMedianRule:F1}"));
        return 0;
    }

    private static string PerBuild(IEnumerable<Build> builds, Func<Build, double> value) =>
        string.Join(" / ", builds.Select(b => value(b).ToString("F0", CultureInfo.InvariantCulture)));

    private static string Shown(double ms) => ms < ResolutionMs ? "<1 ms (below the compiler's resolution; counted as 1 ms)" : string.Create(CultureInfo.InvariantCulture, $"{ms:F0} ms");

    private static double AssemblyTime(Build build, string assemblyName) =>
        build.Assemblies.TryGetValue(assemblyName, out var ms) ? ms : 0;

    private static double AnalyzerTime(Build build, string analyzerType) =>
        build.Analyzers.TryGetValue(analyzerType, out var ms) ? ms : 0;

    private static Build Parse(string logPath)
    {
        double? csc = null;
        var assemblies = new Dictionary<string, double>(StringComparer.Ordinal);
        var analyzers = new Dictionary<string, double>(StringComparer.Ordinal);
        var inAnalyzerReport = false;
        foreach (var line in File.ReadLines(logPath))
        {
            if (line.Contains("Total analyzer execution time:", StringComparison.Ordinal))
            {
                inAnalyzerReport = true;
                continue;
            }

            if (line.Contains("Total generator execution time:", StringComparison.Ordinal))
            {
                inAnalyzerReport = false;
                continue;
            }

            if (CscLine.Match(line) is { Success: true } cscMatch)
            {
                csc = double.Parse(cscMatch.Groups[1].Value, CultureInfo.InvariantCulture);
                continue;
            }

            if (!inAnalyzerReport || AnalyzerLine.Match(line) is not { Success: true } match)
            {
                continue;
            }

            // "<0.001" is below the compiler's resolution: counted as 0 here, shown as "<1 ms" in the report.
            var text = match.Groups[1].Value;
            var ms = text.StartsWith('<') ? 0 : double.Parse(text, CultureInfo.InvariantCulture) * 1000;
            var name = match.Groups[3].Value;
            if (name.Contains(", Version=", StringComparison.Ordinal))
            {
                assemblies[name[..name.IndexOf(',', StringComparison.Ordinal)]] = ms;
            }
            else
            {
                var paren = name.IndexOf(" (", StringComparison.Ordinal);
                analyzers[paren > 0 ? name[..paren] : name] = ms;
            }
        }

        var timePath = Path.ChangeExtension(logPath, ".time");
        var timeOutput = File.Exists(timePath) ? File.ReadAllText(timePath) : "";
        var cpuSeconds = CpuTime.Matches(timeOutput).Sum(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        var rss = MaxRss.Match(timeOutput) is { Success: true } rssMatch
            ? double.Parse(rssMatch.Groups[1].Value, CultureInfo.InvariantCulture) / 1024
            : throw new InvalidDataException($"no '/usr/bin/time -v' output next to {logPath}");
        return new Build(csc ?? throw new InvalidDataException($"no Csc task time in {logPath} (did the build run?)"), rss, cpuSeconds, assemblies, analyzers);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            return 0;
        }

        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
