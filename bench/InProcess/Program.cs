using System.Collections.Immutable;
using System.Diagnostics;
using System.Reflection;
using System.Runtime;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

// qg-inprocess --work DIR [--driver PATH] [--analyzers queryguard|floor] [--iterations N] [--concurrent]
//
// Compiles a workload written by `qg-bench generate` in this process (the .NET reference pack, the driver DLL, the
// workload's queryguard.json as an additional file) and runs the chosen analyzers over it N times, each time on a
// fresh compilation, printing the compiler's per-analyzer execution times. For profiling under dotnet-trace and for
// quick before/after checks of an analyzer change; the numbers that count come from bench/run.sh.
string Option(string name, string? fallback = null)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback ?? throw new ArgumentException($"missing {name}");
}

var work = Option("--work");
var driver = Option("--driver", "");
var which = Option("--analyzers", "queryguard");
var iterations = int.Parse(Option("--iterations", "3"), System.Globalization.CultureInfo.InvariantCulture);
var concurrent = args.Contains("--concurrent");

var parse = new CSharpParseOptions(LanguageVersion.Latest);
var trees = Directory.EnumerateFiles(work, "*.cs", SearchOption.AllDirectories)
    .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                   && !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
    .Order(StringComparer.Ordinal)
    .Select(path => CSharpSyntaxTree.ParseText(SourceText.From(File.ReadAllText(path)), parse, path))
    .ToList();
trees.Add(CSharpSyntaxTree.ParseText(Defaults.ImplicitUsings, parse, "GlobalUsings.g.cs"));

var referencePack = ReferencePack();
var references = Directory.EnumerateFiles(referencePack, "*.dll").Select(path => (MetadataReference)MetadataReference.CreateFromFile(path)).ToList();
if (driver.Length > 0)
{
    references.Add(MetadataReference.CreateFromFile(driver));
}

var additional = Directory.EnumerateFiles(work, "*.json", SearchOption.TopDirectoryOnly)
    .Select(path => (AdditionalText)new FileText(path))
    .ToImmutableArray();

ImmutableArray<DiagnosticAnalyzer> analyzers = which switch
{
    "queryguard" => typeof(QueryGuard.RuleIdentifiers).Assembly.GetTypes()
        .Where(type => !type.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(type) && type.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
        .Select(type => (DiagnosticAnalyzer)Activator.CreateInstance(type)!)
        .ToImmutableArray(),
    "floor" => ImmutableArray.Create<DiagnosticAnalyzer>(new QueryGuard.Bench.FloorAnalyzer()),
    _ => throw new ArgumentException("--analyzers is queryguard or floor"),
};

Console.WriteLine($"{trees.Count} files, {references.Count} references, {additional.Length} additional files, analyzers: {string.Join(", ", analyzers.Select(a => a.GetType().Name))}");
for (var iteration = 1; iteration <= iterations; iteration++)
{
    var compilation = CSharpCompilation.Create(
        "Workload", trees, references,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, concurrentBuild: concurrent));
    var withAnalyzers = compilation.WithAnalyzers(
        analyzers,
        new CompilationWithAnalyzersOptions(new AnalyzerOptions(additional), onAnalyzerException: null, concurrentAnalysis: concurrent, logAnalyzerExecutionTime: true));
    var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
    var pauseBefore = GC.GetTotalPauseDuration();
    var collectionsBefore = Enumerable.Range(0, 3).Select(GC.CollectionCount).ToArray();
    var jitMethodsBefore = JitInfo.GetCompiledMethodCount();
    var jitTimeBefore = JitInfo.GetCompilationTime();
    var clock = Stopwatch.StartNew();
    var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync(CancellationToken.None);
    var elapsed = clock.Elapsed;

    // The process's allocations, GC pauses and JIT work during the analysis (the compiler's binding included):
    // QueryGuard's own share is the difference from a run with --analyzers floor.
    var allocated = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / (1024.0 * 1024.0);
    var pause = (GC.GetTotalPauseDuration() - pauseBefore).TotalMilliseconds;
    var collections = string.Join("/", Enumerable.Range(0, 3).Select(g => GC.CollectionCount(g) - collectionsBefore[g]));
    var jitMethods = JitInfo.GetCompiledMethodCount() - jitMethodsBefore;
    var jitTime = (JitInfo.GetCompilationTime() - jitTimeBefore).TotalMilliseconds;
    var compilerErrors = compilation.GetDiagnostics().Count(d => d.Severity == DiagnosticSeverity.Error);
    var byId = diagnostics.GroupBy(d => d.Id).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}={g.Count()}");
    Console.WriteLine($"iteration {iteration}: {elapsed.TotalMilliseconds:F0} ms wall (binding included), compiler errors {compilerErrors}, diagnostics {string.Join(" ", byId)}");
    Console.WriteLine($"  allocated {allocated:F0} MB, GC pauses {pause:F0} ms, collections gen0/1/2 {collections} ({(GCSettings.IsServerGC ? "server" : "workstation")} GC); JIT {jitMethods} methods in {jitTime:F0} ms");
    foreach (var analyzer in analyzers)
    {
        var telemetry = await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None);
        Console.WriteLine($"  {analyzer.GetType().Name,-28} {telemetry.ExecutionTime.TotalMilliseconds,9:F1} ms  operation actions {telemetry.OperationActionsCount}");
    }
}

return 0;

static string ReferencePack()
{
    var root = Path.GetDirectoryName(Path.GetDirectoryName(typeof(object).Assembly.Location)!)!; // shared/Microsoft.NETCore.App
    var dotnet = Path.GetDirectoryName(Path.GetDirectoryName(root))!;
    var packs = Path.Combine(dotnet, "packs", "Microsoft.NETCore.App.Ref");
    var version = Directory.EnumerateDirectories(packs).Order(StringComparer.Ordinal).Last();
    return Path.Combine(version, "ref", "net10.0");
}

internal sealed class FileText(string path) : AdditionalText
{
    public override string Path { get; } = path;

    public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(File.ReadAllText(Path));
}

internal static class Defaults
{
    // What the SDK's ImplicitUsings=enable writes for a plain library.
    public const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;
}
