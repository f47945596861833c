using System.Collections;
using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.CompilerServices;
using System.Text;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using QueryGuard.CodeFixes;
using QueryGuard.Rules;
using QueryGuard.Tests.Verification;
using Xunit.Abstractions;

namespace QueryGuard.Tests.Robustness;

/// <summary>
/// Issue 9, analyzer hygiene: no file or network IO (RS1035, and no such type referenced at all), no static mutable
/// state shared across compilations, and the same findings however concurrently the analyzers run.
/// </summary>
[Trait("Category", "Robustness")]
public class AnalyzerHygieneTests
{
    private static readonly Assembly[] Shipped = { typeof(MongoOperationAnalyzer).Assembly, typeof(QueryGuardCodeFixProvider).Assembly };

    private readonly ITestOutputHelper _output;

    public AnalyzerHygieneTests(ITestOutputHelper output) => _output = output;

    [Theory]
    [InlineData("QueryGuard.Analyzers/QueryGuard.Analyzers.csproj")]
    [InlineData("QueryGuard.CodeFixes/QueryGuard.CodeFixes.csproj")]
    public void ExtendedAnalyzerRules_AreEnforced_AndWarningsAreErrors(string project)
    {
        // RS1035 (no banned APIs: File, Directory, Environment, Console, ... in analyzers) is only reported with
        // EnforceExtendedAnalyzerRules; TreatWarningsAsErrors (Directory.Build.props) makes it fail the build.
        var root = ReferenceAssemblies.RepositoryRoot;
        var properties = XDocument.Load(Path.Combine(root, project)).Descendants().ToLookup(e => e.Name.LocalName, e => e.Value.Trim());
        Assert.Contains("true", properties["EnforceExtendedAnalyzerRules"]);
        var shared = XDocument.Load(Path.Combine(root, "Directory.Build.props")).Descendants().ToLookup(e => e.Name.LocalName, e => e.Value.Trim());
        Assert.Contains("true", shared["TreatWarningsAsErrors"]);
        Assert.DoesNotContain(properties["NoWarn"].Concat(shared["NoWarn"]), v => v.Contains("RS1035", StringComparison.Ordinal));
    }

    /// <summary>The shipped assemblies reference no file, process, registry or network type.</summary>
    [Fact]
    public void ShippedAssemblies_ReferenceNoFileOrNetworkType()
    {
        string[] banned = { "System.IO.File", "System.IO.FileInfo", "System.IO.FileStream", "System.IO.Directory", "System.IO.DirectoryInfo", "System.IO.StreamReader", "System.IO.StreamWriter", "System.Diagnostics.Process", "System.Environment", "System.Console" };
        var found = new List<string>();
        foreach (var assembly in Shipped)
        {
            using var stream = File.OpenRead(assembly.Location);
            using var pe = new PEReader(stream);
            var reader = pe.GetMetadataReader();
            foreach (var handle in reader.TypeReferences)
            {
                var type = reader.GetTypeReference(handle);
                var name = reader.GetString(type.Namespace) + "." + reader.GetString(type.Name);
                if (!banned.Contains(name) && !name.StartsWith("System.Net.", StringComparison.Ordinal) && !name.StartsWith("Microsoft.Win32.", StringComparison.Ordinal))
                {
                    continue;
                }

                var members = reader.MemberReferences.Select(reader.GetMemberReference)
                    .Where(m => m.Parent.Kind == HandleKind.TypeReference && (TypeReferenceHandle)m.Parent == handle)
                    .Select(m => reader.GetString(m.Name))
                    .ToList();

                // Compiler-generated iterators read Environment.CurrentManagedThreadId; that is not IO.
                if (name == "System.Environment" && members.Count > 0 && members.All(m => m == "get_CurrentManagedThreadId"))
                {
                    continue;
                }

                found.Add($"{assembly.GetName().Name}: {name} ({string.Join(", ", members)})");
            }
        }

        Assert.True(found.Count == 0, "IO in an analyzer or code fix:\n" + string.Join("\n", found));
    }

    /// <summary>
    /// Static state outlives a compilation and is shared by every build and IDE session in the process: only readonly
    /// fields of immutable types are allowed (descriptors, immutable collections, strings, values). Compiler-generated
    /// lambda caches are not state.
    /// </summary>
    [Fact]
    public void NoStaticMutableState()
    {
        // Roslyn's per-content parse cache is made to be static: it holds parses keyed by SourceText, never
        // per-compilation results, and is thread safe (SourceTextValueProvider + TryGetValue on the context).
        var allowed = new HashSet<string> { "QueryGuard.Configuration.QueryGuardConfiguration.ConfigurationFiles", "QueryGuard.Configuration.QueryGuardConfiguration.ExportFiles" };
        var problems = new List<string>();
        var checkedFields = 0;
        foreach (var type in Shipped.SelectMany(a => a.GetTypes()))
        {
            if (IsCompilerGenerated(type))
            {
                continue;
            }

            foreach (var field in type.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (field.IsLiteral || field.IsDefined(typeof(CompilerGeneratedAttribute)) && !field.Name.EndsWith("k__BackingField", StringComparison.Ordinal))
                {
                    continue;
                }

                checkedFields++;
                var name = $"{type.FullName}.{field.Name}";
                if (allowed.Contains(name))
                {
                    continue;
                }

                if (!field.IsInitOnly)
                {
                    problems.Add($"{name} is static and not readonly");
                }
                else if (MutableType(field.FieldType) is { } why)
                {
                    problems.Add($"{name} is static readonly but {why}");
                }
            }
        }

        RobustnessReport.Write(_output, $"Robustness: {checkedFields} static fields in the shipped assemblies checked, {problems.Count} mutable");
        Assert.True(problems.Count == 0, "Static mutable state:\n" + string.Join("\n", problems));
    }

    private static bool IsCompilerGenerated(Type type) =>
        type.IsDefined(typeof(CompilerGeneratedAttribute)) || type.Name.StartsWith('<') || (type.DeclaringType is { } outer && IsCompilerGenerated(outer));

    private static string? MutableType(Type type)
    {
        if (type.IsArray)
        {
            return $"an array ({type.Name}), whose elements can be replaced";
        }

        if (type.Namespace == "System.Collections.Immutable" || type.IsPrimitive || type.IsEnum || type == typeof(string) || typeof(Delegate).IsAssignableFrom(type))
        {
            return null;
        }

        if (type == typeof(StringBuilder) || (typeof(IEnumerable).IsAssignableFrom(type) && type.Namespace is "System.Collections.Generic" or "System.Collections.Concurrent" or "System.Collections"))
        {
            return $"a mutable collection ({type.Name})";
        }

        return null;
    }

    /// <summary>
    /// The analyzers (one set of instances, as in a compiler server or IDE process) run on many projects at once with
    /// concurrent execution, several times: every run gives exactly the findings of a sequential run.
    /// </summary>
    [Fact]
    public async Task ConcurrentExecution_IsDeterministic()
    {
        var entries = Corpus.Entries.Take(3).Concat(Corpus.Entries.Where((_, i) => i % 23 == 5)).ToList();
        var harness = new RobustnessHarness();
        var projects = entries.Select(RobustnessHarness.CreateProject).ToList();
        var expected = new List<string>();
        foreach (var project in projects)
        {
            var (_, diagnostics) = await harness.AnalyzeAsync(project, concurrent: false);
            expected.Add(Render(diagnostics));
        }

        var runs = 0;
        for (var round = 0; round < 3; round++)
        {
            // Fresh compilations each round (so nothing is reused from the sequential run), all at once.
            var results = await Task.WhenAll(projects.Select(p => Task.Run(async () =>
            {
                var compilation = (await p.GetCompilationAsync())!.Clone();
                return Render(await harness.AnalyzeAsync(compilation, p.AnalyzerOptions, concurrent: true));
            })));
            for (var i = 0; i < projects.Count; i++)
            {
                Assert.True(expected[i] == results[i], $"round {round}, '{entries[i].Name}': concurrent run differs\n--- sequential ---\n{expected[i]}\n--- concurrent ---\n{results[i]}");
                runs++;
            }
        }

        RobustnessReport.Write(_output, $"Robustness: {runs} concurrent analyses of {projects.Count} projects ({expected.Sum(e => e.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length)} findings) matched the sequential run");
    }

    private static string Render(ImmutableArray<Diagnostic> diagnostics) =>
        string.Join("\n", diagnostics.Select(d => $"{d.Id} {d.Location.GetLineSpan()} {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}").OrderBy(s => s, StringComparer.Ordinal));
}
