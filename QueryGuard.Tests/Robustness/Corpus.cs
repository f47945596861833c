using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using QueryGuard.Tests.Model;
using QueryGuard.Tests.Rules;
using QueryGuard.Tests.Verification;

namespace QueryGuard.Tests.Robustness;

/// <summary>One project of the corpus: its C# files, its configuration files, and the driver it compiles against.</summary>
public sealed record CorpusEntry(string Name, ImmutableArray<string> Sources, ImmutableDictionary<string, string> AdditionalFiles, DriverVersion Driver = DriverVersion.V3)
{
    public override string ToString() => Name;
}

/// <summary>
/// Every C# source the test suite and the sample use, as projects to mutate.
/// <para>
/// How the test sources are found: the rule and model test files (<c>QueryGuard.Tests/Rules/*.cs</c>,
/// <c>QueryGuard.Tests/Model/*.cs</c>) are parsed with Roslyn and every string literal is taken (raw <c>"""</c>
/// strings, regular and verbatim ones). Whole sources are used as they are; most tests write only a method body
/// (<c>InlineData</c>, <c>WriteCase</c>), so a literal that parses as statements is wrapped in the template its test
/// file uses (<see cref="ShardingScenario.Code"/>, <see cref="WriteTestSource.Wrap"/>, <see cref="ModelHarness"/>),
/// and the configuration the tests give that template is attached. Markup is removed with <see cref="TestMarkup"/>.
/// This is deterministic, needs no test run (the alternative, recording what the verifier compiles, depends on which
/// tests ran and in what order), and picks up new tests by itself.
/// </para>
/// <para>JSON literals go to <see cref="ConfigurationTexts"/> for the configuration mutations.</para>
/// </summary>
public static class Corpus
{
    private static readonly Lazy<(ImmutableArray<CorpusEntry> Entries, ImmutableArray<string> Json, int Files)> Collected = new(Collect);

    public static ImmutableArray<CorpusEntry> Entries => Collected.Value.Entries;

    /// <summary>queryguard.json and *.shardkeys.json texts found in the tests (valid and invalid ones).</summary>
    public static ImmutableArray<string> ConfigurationTexts => Collected.Value.Json;

    /// <summary>How many test files the literals came from.</summary>
    public static int TestFiles => Collected.Value.Files;

    public const string SessionsConfig = """
        {
          "collections": {
            "sessions": { "documentType": "Session", "shardKey": { "UserId": 1 }, "scopeKey": "TenantId" }
          }
        }
        """;

    private enum Template
    {
        Sharding,
        Sessions,
        Model,
    }

    private static (ImmutableArray<CorpusEntry>, ImmutableArray<string>, int) Collect()
    {
        var root = ReferenceAssemblies.RepositoryRoot;
        var entries = new List<CorpusEntry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var json = new SortedSet<string>(StringComparer.Ordinal);

        // Hand-written sources with everything at once, first.
        entries.Add(new CorpusEntry(
            "everything",
            ImmutableArray.Create(EverythingSources.Operations, EverythingSources.Documents, EverythingSources.Attributes),
            ImmutableDictionary<string, string>.Empty.Add("queryguard.json", EverythingSources.Config).Add("prod.shardkeys.json", EverythingSources.ShardKeyExport)));
        entries.Add(new CorpusEntry(
            "everything (driver 2.x)",
            ImmutableArray.Create(EverythingSources.Operations, EverythingSources.Documents, EverythingSources.Attributes),
            ImmutableDictionary<string, string>.Empty.Add("queryguard.json", EverythingSources.Config),
            DriverVersion.V2));
        entries.Add(new CorpusEntry(
            "many findings",
            ImmutableArray.Create(EverythingSources.ManyFindings(12), EverythingSources.Documents, EverythingSources.Attributes),
            ImmutableDictionary<string, string>.Empty.Add("queryguard.json", EverythingSources.Config)));

        // The sample, as one project with the implicit usings its SDK adds.
        var sampleFolder = Path.Combine(root, "samples");
        foreach (var project in Directory.GetFiles(sampleFolder, "*.csproj", SearchOption.AllDirectories).OrderBy(p => p, StringComparer.Ordinal))
        {
            var folder = Path.GetDirectoryName(project)!;
            var sources = Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories)
                .Where(p => !p.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                    && !p.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                .OrderBy(p => p, StringComparer.Ordinal)
                .Select(File.ReadAllText)
                .Append("global using System; global using System.Collections.Generic; global using System.Linq; global using System.Threading; global using System.Threading.Tasks;")
                .ToImmutableArray();
            var files = ImmutableDictionary<string, string>.Empty;
            foreach (var config in Directory.GetFiles(folder, "*.json").Where(p => p.EndsWith("queryguard.json", StringComparison.Ordinal) || p.EndsWith(".shardkeys.json", StringComparison.Ordinal)))
            {
                files = files.Add(Path.GetFileName(config), File.ReadAllText(config));
            }

            entries.Add(new CorpusEntry("sample " + Path.GetFileName(folder), sources, files));
        }

        // String literals of the rule and model tests.
        var testFiles = new[] { "Rules", "Model" }
            .SelectMany(d => Directory.GetFiles(Path.Combine(root, "QueryGuard.Tests", d), "*.cs"))
            .OrderBy(p => p, StringComparer.Ordinal)
            .ToList();
        foreach (var path in testFiles)
        {
            var text = File.ReadAllText(path);
            var template = text.Contains("ModelHarness", StringComparison.Ordinal) || text.Contains("RenderAsync(", StringComparison.Ordinal) ? Template.Model
                : text.Contains("ShardingScenario", StringComparison.Ordinal) || text.Contains("Code(", StringComparison.Ordinal) ? Template.Sharding
                : Template.Sessions;
            var tree = CSharpSyntaxTree.ParseText(text, new CSharpParseOptions(LanguageVersion.Latest));
            var index = 0;
            foreach (var literal in Literals(tree))
            {
                index++;
                var source = WithoutMarkup(literal);
                if (source is null || !seen.Add(source))
                {
                    continue;
                }

                var trimmed = source.TrimStart();
                if (trimmed.StartsWith('{') || trimmed.StartsWith('['))
                {
                    if (!trimmed.Contains(';', StringComparison.Ordinal))
                    {
                        json.Add(source);
                        continue;
                    }
                }

                var name = $"{Path.GetFileNameWithoutExtension(path)} literal {index}";
                if (IsCompilationUnit(source))
                {
                    entries.Add(new CorpusEntry(name, ImmutableArray.Create(source), ConfigFor(source)));
                }
                else if (IsStatements(source))
                {
                    var wrapped = Wrap(template, source);
                    entries.Add(new CorpusEntry(name, ImmutableArray.Create(wrapped), ConfigFor(wrapped)));
                }
            }
        }

        return (entries.ToImmutableArray(), json.ToImmutableArray(), testFiles.Count);
    }

    /// <summary>The string value of every string literal in the file, raw or not (interpolated ones are skipped).</summary>
    private static IEnumerable<string> Literals(SyntaxTree tree) =>
        tree.GetRoot().DescendantTokens()
            .Where(t => t.Kind() is SyntaxKind.StringLiteralToken or SyntaxKind.SingleLineRawStringLiteralToken or SyntaxKind.MultiLineRawStringLiteralToken)
            .Select(t => t.ValueText)
            .Where(v => v.Length >= 8);

    private static string? WithoutMarkup(string literal)
    {
        try
        {
            return TestMarkup.Parse(literal).Source;
        }
        catch (ArgumentException)
        {
            return literal;
        }
    }

    private static bool IsCompilationUnit(string source)
    {
        var root = (CompilationUnitSyntax)CSharpSyntaxTree.ParseText(source).GetRoot();
        return root.Members.Any(m => m is BaseNamespaceDeclarationSyntax or TypeDeclarationSyntax) && root.Usings.Count + root.Members.Count > 1
            || root.Usings.Any(u => u.Name?.ToString().StartsWith("MongoDB", StringComparison.Ordinal) == true);
    }

    /// <summary>Looks like code: a statement list that parses without errors and does something.</summary>
    private static bool IsStatements(string source)
    {
        if (!source.Contains(';', StringComparison.Ordinal) || !source.Contains('(', StringComparison.Ordinal))
        {
            return false;
        }

        var block = SyntaxFactory.ParseStatement("{\n" + source + "\n}");
        return !block.ContainsDiagnostics;
    }

    private static string Wrap(Template template, string body) => template switch
    {
        Template.Sharding => ShardingScenario.Code(body),
        Template.Sessions => WriteTestSource.Wrap(body),
        _ => ModelHarness.Code(body),
    };

    /// <summary>The configuration the tests give a source: by the scenario it is written in.</summary>
    private static ImmutableDictionary<string, string> ConfigFor(string source) =>
        source.Contains("namespace Trello", StringComparison.Ordinal) ? ImmutableDictionary<string, string>.Empty.Add("queryguard.json", ShardingScenario.Config)
        : source.Contains("class Session", StringComparison.Ordinal) ? ImmutableDictionary<string, string>.Empty.Add("queryguard.json", SessionsConfig)
        : ImmutableDictionary<string, string>.Empty;
}
