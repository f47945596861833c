using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using QueryGuard.Rules;

namespace QueryGuard.Tests.Verification;

/// <summary>
/// Builds an in-memory project for a test (sources, additional files, .editorconfig/.globalconfig, references)
/// and runs every QueryGuard analyzer on it with exceptions surfaced, never swallowed.
/// </summary>
public static class TestProject
{
    public const string Folder = "/0/";

    /// <summary>Every analyzer QueryGuard ships, found in the analyzer assembly.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> Analyzers { get; } = typeof(MongoOperationAnalyzer).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
        .OrderBy(t => t.FullName, StringComparer.Ordinal)
        .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
        .ToImmutableArray();

    public static Project Create(
        IReadOnlyList<string> sources,
        DriverVersion? driver = DriverVersion.V3,
        IReadOnlyDictionary<string, string>? additionalFiles = null,
        string? editorConfig = null,
        string? globalConfig = null,
        NullableContextOptions nullable = NullableContextOptions.Enable)
    {
        var workspace = new AdhocWorkspace();
        var projectId = ProjectId.CreateNewId();
        var compilationOptions = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: nullable);
        var solution = workspace.CurrentSolution.AddProject(ProjectInfo.Create(
            projectId,
            VersionStamp.Default,
            "TestProject",
            "TestProject",
            LanguageNames.CSharp,
            filePath: Folder + "TestProject.csproj",
            compilationOptions: compilationOptions,
            parseOptions: new CSharpParseOptions(LanguageVersion.Latest),
            metadataReferences: ReferenceAssemblies.For(driver)));

        for (var i = 0; i < sources.Count; i++)
        {
            var name = $"Test{i}.cs";
            solution = solution.AddDocument(DocumentId.CreateNewId(projectId), name, SourceText.From(sources[i]), filePath: Folder + name);
        }

        foreach (var (path, text) in additionalFiles ?? new Dictionary<string, string>())
        {
            solution = solution.AddAdditionalDocument(DocumentId.CreateNewId(projectId), Path.GetFileName(path), SourceText.From(text), filePath: Folder + path);
        }

        if (editorConfig is not null)
        {
            solution = solution.AddAnalyzerConfigDocument(DocumentId.CreateNewId(projectId), ".editorconfig", SourceText.From("root = true\n\n[*.cs]\n" + editorConfig), filePath: Folder + ".editorconfig");
        }

        if (globalConfig is not null)
        {
            solution = solution.AddAnalyzerConfigDocument(DocumentId.CreateNewId(projectId), ".globalconfig", SourceText.From("is_global = true\n" + globalConfig), filePath: Folder + ".globalconfig");
        }

        return solution.GetProject(projectId)!;
    }

    /// <summary>Compiler diagnostics and QueryGuard's diagnostics; throws if an analyzer threw.</summary>
    public static async Task<(ImmutableArray<Diagnostic> Compiler, ImmutableArray<Diagnostic> Analyzer)> GetDiagnosticsAsync(
        Project project, ImmutableArray<DiagnosticAnalyzer> analyzers = default, CancellationToken cancellationToken = default)
    {
        var compilation = (await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false))!;
        var exceptions = new List<Exception>();
        var options = new CompilationWithAnalyzersOptions(
            project.AnalyzerOptions,
            onAnalyzerException: (exception, analyzer, _) => { lock (exceptions) { exceptions.Add(new AnalyzerException(analyzer, exception)); } },
            concurrentAnalysis: true,
            logAnalyzerExecutionTime: false);
        var withAnalyzers = compilation.WithAnalyzers(analyzers.IsDefault ? Analyzers : analyzers, options);
        var analyzerDiagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync(cancellationToken).ConfigureAwait(false);
        if (exceptions.Count > 0)
        {
            throw new AggregateException("A QueryGuard analyzer threw (AD0001):", exceptions);
        }

        var ad0001 = analyzerDiagnostics.Where(d => d.Id == "AD0001").ToList();
        if (ad0001.Count > 0)
        {
            throw new InvalidOperationException("A QueryGuard analyzer threw (AD0001): " + string.Join("\n", ad0001));
        }

        return (compilation.GetDiagnostics(cancellationToken), analyzerDiagnostics);
    }

    public sealed class AnalyzerException : Exception
    {
        public AnalyzerException(DiagnosticAnalyzer analyzer, Exception inner)
            : base($"{analyzer.GetType().Name} threw {inner.GetType().Name}: {inner.Message}", inner)
        {
        }
    }
}
