using System.Collections.Immutable;
using System.Composition;
using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using QueryGuard.CodeFixes;
using QueryGuard.Tests.Verification;

namespace QueryGuard.Tests.Robustness;

/// <summary>What one run of the analyzers and fixes over a project did.</summary>
public sealed class RunCounts
{
    public int Diagnostics;
    public int FixableDiagnostics;
    public int Actions;
    public int FixAlls;
    public int CompiledFixes;

    public void Add(RunCounts other)
    {
        Interlocked.Add(ref Diagnostics, other.Diagnostics);
        Interlocked.Add(ref FixableDiagnostics, other.FixableDiagnostics);
        Interlocked.Add(ref Actions, other.Actions);
        Interlocked.Add(ref FixAlls, other.FixAlls);
        Interlocked.Add(ref CompiledFixes, other.CompiledFixes);
    }
}

/// <summary>A problem found: an analyzer or fix threw, or a fix broke code that compiled.</summary>
public sealed class RobustnessFailure : Exception
{
    public RobustnessFailure(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

/// <summary>
/// Runs every QueryGuard analyzer over a project with exceptions surfaced (an exception handed to
/// <c>onAnalyzerException</c> or an AD0001 diagnostic is a <see cref="RobustnessFailure"/>), then every QueryGuard code
/// fix on every diagnostic it can fix: each action's operations are computed (nothing is caught), and Fix All runs
/// per document and equivalence key. With <c>compileFixes</c> (unmutated code) each fixed project is compiled and
/// must have no compiler error the original did not have.
/// </summary>
public sealed class RobustnessHarness
{
    public RobustnessHarness(ImmutableArray<DiagnosticAnalyzer> analyzers = default, ImmutableArray<CodeFixProvider> fixes = default)
    {
        Analyzers = analyzers.IsDefault ? TestProject.Analyzers : analyzers;
        Fixes = fixes.IsDefault ? AllCodeFixes : fixes;
    }

    public ImmutableArray<DiagnosticAnalyzer> Analyzers { get; }

    public ImmutableArray<CodeFixProvider> Fixes { get; }

    /// <summary>Every code fix QueryGuard ships, found in the code-fix assembly.</summary>
    public static ImmutableArray<CodeFixProvider> AllCodeFixes { get; } = typeof(QueryGuardCodeFixProvider).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t) && t.GetCustomAttribute<ExportCodeFixProviderAttribute>() is not null)
        .OrderBy(t => t.FullName, StringComparer.Ordinal)
        .Select(t => (CodeFixProvider)Activator.CreateInstance(t)!)
        .ToImmutableArray();

    /// <summary>The analyzer diagnostics of a project; throws <see cref="RobustnessFailure"/> if an analyzer threw.</summary>
    public async Task<(Compilation Compilation, ImmutableArray<Diagnostic> Diagnostics)> AnalyzeAsync(Project project, bool concurrent, CancellationToken cancellationToken = default)
    {
        var compilation = (await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false))!;
        var diagnostics = await AnalyzeAsync(compilation, project.AnalyzerOptions, concurrent, cancellationToken).ConfigureAwait(false);
        return (compilation, diagnostics);
    }

    public async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Compilation compilation, AnalyzerOptions options, bool concurrent, CancellationToken cancellationToken = default)
    {
        var exceptions = new List<Exception>();
        var withAnalyzers = compilation.WithAnalyzers(Analyzers, new CompilationWithAnalyzersOptions(
            options,
            onAnalyzerException: (exception, analyzer, _) => { lock (exceptions) { exceptions.Add(new TestProject.AnalyzerException(analyzer, exception)); } },
            concurrentAnalysis: concurrent,
            logAnalyzerExecutionTime: false));
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync(cancellationToken).ConfigureAwait(false);
        if (exceptions.Count > 0)
        {
            throw new RobustnessFailure("An analyzer threw (AD0001):\n" + string.Join("\n", exceptions.Select(e => e.Message + "\n" + e.InnerException)), exceptions[0]);
        }

        if (diagnostics.FirstOrDefault(d => d.Id == "AD0001") is { } ad0001)
        {
            throw new RobustnessFailure("An analyzer threw (AD0001): " + ad0001.GetMessage());
        }

        return diagnostics;
    }

    /// <summary>Analyzers, then every fix on every fixable diagnostic in <paramref name="documents"/> (all when null).</summary>
    public async Task<RunCounts> RunAsync(Project project, bool compileFixes, bool fixAll, IReadOnlyCollection<DocumentId>? documents = null, CancellationToken cancellationToken = default)
    {
        var counts = new RunCounts();
        var (compilation, diagnostics) = await AnalyzeAsync(project, concurrent: false, cancellationToken).ConfigureAwait(false);
        counts.Diagnostics = diagnostics.Length;
        HashSet<string>? errorsBefore = null;

        var fixable = diagnostics
            .Where(d => d.Location.IsInSource && project.GetDocument(d.Location.SourceTree) is { } doc && (documents is null || documents.Contains(doc.Id)))
            .OrderBy(d => d.Location.SourceTree!.FilePath, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .ThenBy(d => d.Id, StringComparer.Ordinal)
            .ToList();
        var fixAllGroups = new HashSet<(CodeFixProvider Fix, DocumentId Document, string? Key)>();
        foreach (var diagnostic in fixable)
        {
            foreach (var fix in Fixes.Where(f => f.FixableDiagnosticIds.Contains(diagnostic.Id)))
            {
                counts.FixableDiagnostics++;
                if (compileFixes)
                {
                    // The compiler's errors before any fix, computed only when there is something to fix.
                    errorsBefore ??= Errors(compilation, cancellationToken);
                }

                var document = project.GetDocument(diagnostic.Location.SourceTree)!;
                foreach (var action in await ActionsAsync(fix, document, diagnostic, cancellationToken).ConfigureAwait(false))
                {
                    counts.Actions++;
                    var changed = await ApplyAsync(project, action, $"{fix.GetType().Name} '{action.Title}' on {Describe(diagnostic)}", cancellationToken).ConfigureAwait(false);
                    if (errorsBefore is not null)
                    {
                        await CheckNoNewErrorsAsync(changed, errorsBefore, $"{fix.GetType().Name} '{action.Title}' on {Describe(diagnostic)}", cancellationToken).ConfigureAwait(false);
                        counts.CompiledFixes++;
                    }

                    if (fixAll && fixAllGroups.Add((fix, document.Id, action.EquivalenceKey)))
                    {
                        var all = await FixAllAsync(project, fix, document, action, fixable, cancellationToken).ConfigureAwait(false);
                        if (all is not null)
                        {
                            counts.FixAlls++;
                            if (errorsBefore is not null)
                            {
                                await CheckNoNewErrorsAsync(all, errorsBefore, $"Fix All of {fix.GetType().Name} '{action.EquivalenceKey}' in {document.Name}", cancellationToken).ConfigureAwait(false);
                                counts.CompiledFixes++;
                            }
                        }
                    }
                }
            }
        }

        return counts;
    }

    private static async Task<IReadOnlyList<CodeAction>> ActionsAsync(CodeFixProvider fix, Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (action, _) => { lock (actions) { actions.Add(action); } }, cancellationToken);
        await fix.RegisterCodeFixesAsync(context).ConfigureAwait(false);
        return Flatten(actions).ToList();
    }

    private static IEnumerable<CodeAction> Flatten(IEnumerable<CodeAction> actions) =>
        actions.SelectMany(a => a.NestedActions.IsDefaultOrEmpty ? new[] { a } : Flatten(a.NestedActions));

    /// <summary>Computes the action's operations and the changed text of every changed document.</summary>
    private static async Task<Project> ApplyAsync(Project project, CodeAction action, string what, CancellationToken cancellationToken)
    {
        var operations = await action.GetOperationsAsync(cancellationToken).ConfigureAwait(false);
        var apply = operations.OfType<ApplyChangesOperation>().ToList();
        if (apply.Count != 1)
        {
            throw new RobustnessFailure($"{what} produced {apply.Count} ApplyChangesOperations, expected one.");
        }

        var changed = apply[0].ChangedSolution.GetProject(project.Id)!;
        foreach (var id in apply[0].ChangedSolution.GetChanges(project.Solution).GetProjectChanges().SelectMany(p => p.GetChangedDocuments()))
        {
            _ = (await changed.GetDocument(id)!.GetTextAsync(cancellationToken).ConfigureAwait(false)).ToString();
        }

        return changed;
    }

    private async Task<Project?> FixAllAsync(Project project, CodeFixProvider fix, Document document, CodeAction action, IReadOnlyList<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        if (fix.GetFixAllProvider() is not { } provider)
        {
            return null;
        }

        var context = new FixAllContext(
            document,
            fix,
            FixAllScope.Document,
            action.EquivalenceKey,
            fix.FixableDiagnosticIds,
            new FixedDiagnostics(diagnostics),
            cancellationToken);
        var fixAllAction = await provider.GetFixAsync(context).ConfigureAwait(false);
        return fixAllAction is null ? null : await ApplyAsync(project, fixAllAction, $"Fix All of {fix.GetType().Name} '{action.EquivalenceKey}'", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Fix All of <paramref name="fix"/>'s <paramref name="equivalenceKey"/> in one document, with the project's diagnostics.</summary>
    public async Task<Project> FixAllInDocumentAsync(Project project, CodeFixProvider fix, DocumentId documentId, string equivalenceKey, CancellationToken cancellationToken = default)
    {
        var (_, diagnostics) = await AnalyzeAsync(project, concurrent: false, cancellationToken).ConfigureAwait(false);
        var document = project.GetDocument(documentId)!;
        var tree = await document.GetSyntaxTreeAsync(cancellationToken).ConfigureAwait(false);
        var first = diagnostics.First(d => d.Location.SourceTree == tree && fix.FixableDiagnosticIds.Contains(d.Id));
        var action = (await ActionsAsync(fix, document, first, cancellationToken).ConfigureAwait(false)).First(a => a.EquivalenceKey == equivalenceKey);
        return await FixAllAsync(project, fix, document, action, diagnostics, cancellationToken).ConfigureAwait(false)
            ?? throw new RobustnessFailure($"Fix All of {equivalenceKey} offered no action.");
    }

    public static HashSet<string> Errors(Compilation compilation, CancellationToken cancellationToken) =>
        compilation.GetDiagnostics(cancellationToken).Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Id + ": " + d.GetMessage()).ToHashSet();

    private static async Task CheckNoNewErrorsAsync(Project changed, HashSet<string> before, string what, CancellationToken cancellationToken)
    {
        var compilation = (await changed.GetCompilationAsync(cancellationToken).ConfigureAwait(false))!;
        var newErrors = compilation.GetDiagnostics(cancellationToken)
            .Where(d => d.Severity == DiagnosticSeverity.Error && !before.Contains(d.Id + ": " + d.GetMessage()))
            .ToList();
        if (newErrors.Count > 0)
        {
            var text = new StringBuilder();
            foreach (var tree in newErrors.Select(e => e.Location.SourceTree).Where(t => t is not null).Distinct())
            {
                text.Append("--- ").Append(tree!.FilePath).Append(" ---\n").Append(Mutator.Numbered(tree.GetText(cancellationToken).ToString()));
            }

            throw new RobustnessFailure($"{what} introduced compiler errors:\n" + string.Join("\n", newErrors.Select(QueryGuardTest.Describe)) + "\n" + text);
        }
    }

    public static string Describe(Diagnostic diagnostic) => QueryGuardTest.Describe(diagnostic);

    /// <summary>Fix All is handed the diagnostics the harness computed, per document.</summary>
    private sealed class FixedDiagnostics : FixAllContext.DiagnosticProvider
    {
        private readonly IReadOnlyList<Diagnostic> _diagnostics;

        public FixedDiagnostics(IReadOnlyList<Diagnostic> diagnostics) => _diagnostics = diagnostics;

        public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
        {
            var tree = await document.GetSyntaxTreeAsync(cancellationToken).ConfigureAwait(false);
            return _diagnostics.Where(d => d.Location.SourceTree == tree);
        }

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult(Enumerable.Empty<Diagnostic>());

        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>(_diagnostics);
    }

    /// <summary>A project for a corpus entry; mutations replace one document's text in it.</summary>
    public static Project CreateProject(CorpusEntry entry) =>
        TestProject.Create(entry.Sources, entry.Driver, entry.AdditionalFiles);

    public static Project WithText(Project project, DocumentId document, string text) =>
        project.Solution.WithDocumentText(document, SourceText.From(text)).GetProject(project.Id)!;
}
