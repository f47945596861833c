using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Xunit.Sdk;

namespace QueryGuard.Tests.Verification;

/// <summary>
/// QueryGuard's verifier, in the spirit of Microsoft.CodeAnalysis.Testing (whose packages are not in this
/// registry copy). A test states sources with markup, optional configuration, and the exact diagnostics it expects;
/// with a code fix it also states the fixed source, and the verifier checks one-at-a-time fixing and Fix All
/// reach it, and that the fixed code compiles with no new errors.
/// </summary>
public sealed class QueryGuardTest
{
    /// <summary>The main test source, with markup.</summary>
    public string Source { get; set; } = string.Empty;

    /// <summary>More source files, with markup.</summary>
    public List<string> AdditionalSources { get; } = new();

    /// <summary>AdditionalFiles by relative path (e.g. <c>queryguard.json</c>).</summary>
    public Dictionary<string, string> AdditionalFiles { get; } = new();

    /// <summary>Lines of a <c>[*.cs]</c> section of a root .editorconfig.</summary>
    public string? EditorConfig { get; set; }

    public string? GlobalConfig { get; set; }

    /// <summary>The driver the sources compile against; null for a project without MongoDB.Driver.</summary>
    public DriverVersion? Driver { get; set; } = DriverVersion.V3;

    public NullableContextOptions Nullable { get; set; } = NullableContextOptions.Enable;

    /// <summary>The rule <c>[|…|]</c> markup stands for.</summary>
    public string? DefaultRuleId { get; set; }

    /// <summary>Only these rule IDs are compared; null compares every QueryGuard diagnostic.</summary>
    public IReadOnlyCollection<string>? ComparedRuleIds { get; set; }

    public List<DiagnosticResult> ExpectedDiagnostics { get; } = new();

    /// <summary>The analyzers to run; default is every QueryGuard analyzer.</summary>
    public ImmutableArray<Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer> Analyzers { get; set; }

    /// <summary>Half-typed code: compiler errors are allowed (analyzers must still not throw).</summary>
    public bool AllowCompilerErrors { get; set; }

    public CodeFixProvider? CodeFix { get; set; }

    /// <summary>The source after fixing, with markup for the diagnostics that remain.</summary>
    public string? FixedSource { get; set; }

    /// <summary>Which action to apply, by equivalence key; else by <see cref="CodeActionIndex"/>.</summary>
    public string? CodeActionEquivalenceKey { get; set; }

    public int CodeActionIndex { get; set; }

    /// <summary>Titles the offered actions must have, in order, for the first fixable diagnostic.</summary>
    public IReadOnlyList<string>? ExpectedActionTitles { get; set; }

    /// <summary>Fix All in the document must reach <see cref="FixedSource"/> too (on by default).</summary>
    public bool VerifyFixAll { get; set; } = true;

    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        var parsed = new[] { Source }.Concat(AdditionalSources).Select(TestMarkup.Parse).ToList();
        var project = CreateProject(parsed.Select(p => p.Source).ToList());
        var expected = Expected(parsed).ToList();
        var (compiler, analyzer) = await TestProject.GetDiagnosticsAsync(project, Analyzers, cancellationToken);
        CheckCompilerErrors(compiler, expected, "test source");
        Compare(expected, Select(compiler, analyzer, expected), "diagnostics");

        if (CodeFix is null)
        {
            if (FixedSource is not null)
            {
                throw new XunitException("FixedSource is set but no CodeFix provider was given.");
            }

            return;
        }

        if (FixedSource is null)
        {
            await VerifyNoActionOfferedAsync(project, analyzer, cancellationToken);
            return;
        }

        var fixedParsed = TestMarkup.Parse(FixedSource);
        var oneAtATime = await FixOneAtATimeAsync(project, cancellationToken);
        await VerifyFixedAsync(oneAtATime, fixedParsed, compiler, "code fix", cancellationToken);
        if (VerifyFixAll)
        {
            var fixAll = await FixAllAsync(project, cancellationToken);
            await VerifyFixedAsync(fixAll, fixedParsed, compiler, "Fix All", cancellationToken);
        }
    }

    private Project CreateProject(IReadOnlyList<string> sources) =>
        TestProject.Create(sources, Driver, AdditionalFiles, EditorConfig, GlobalConfig, Nullable);

    private IEnumerable<DiagnosticResult> Expected(IReadOnlyList<(string Source, IReadOnlyList<MarkedSpan> Spans)> parsed, bool includeExplicit = true)
    {
        var locations = new Dictionary<int, (string Path, TextSpan Span)>();
        for (var file = 0; file < parsed.Count; file++)
        {
            var path = TestProject.Folder + $"Test{file}.cs";
            foreach (var marked in parsed[file].Spans)
            {
                if (marked.Id is { } id && id.StartsWith('#'))
                {
                    locations[int.Parse(id.AsSpan(1))] = (path, marked.Span);
                    continue;
                }

                var ruleId = marked.Id ?? DefaultRuleId ?? throw new XunitException("[|…|] markup needs DefaultRuleId.");
                yield return new DiagnosticResult(ruleId) { Span = marked.Span, Path = path };
            }
        }

        foreach (var result in includeExplicit ? ExpectedDiagnostics : new List<DiagnosticResult>())
        {
            if (result.MarkupLocation is { } index)
            {
                if (!locations.TryGetValue(index, out var location))
                {
                    throw new XunitException($"No {{|#{index}:…|}} markup for {result}.");
                }

                yield return result with { Path = location.Path, Span = location.Span, MarkupLocation = null };
            }
            else
            {
                yield return result with { Path = result.Path is null ? null : TestProject.Folder + result.Path };
            }
        }
    }

    private List<Diagnostic> Select(ImmutableArray<Diagnostic> compiler, ImmutableArray<Diagnostic> analyzer, IReadOnlyCollection<DiagnosticResult> expected)
    {
        var expectedCompilerIds = expected.Select(e => e.Id).Where(id => !id.StartsWith("QG", StringComparison.Ordinal)).ToHashSet();
        return analyzer.Where(d => d.Id.StartsWith("QG", StringComparison.Ordinal) && (ComparedRuleIds is null || ComparedRuleIds.Contains(d.Id)))
            .Concat(compiler.Where(d => expectedCompilerIds.Contains(d.Id)))
            .ToList();
    }

    private void CheckCompilerErrors(ImmutableArray<Diagnostic> compiler, IReadOnlyCollection<DiagnosticResult> expected, string what)
    {
        if (AllowCompilerErrors)
        {
            return;
        }

        var errors = compiler.Where(d => d.Severity == DiagnosticSeverity.Error && expected.All(e => e.Id != d.Id)).ToList();
        if (errors.Count > 0)
        {
            throw new XunitException($"The {what} does not compile:\n" + string.Join("\n", errors.Select(Describe)));
        }
    }

    private static void Compare(IReadOnlyList<DiagnosticResult> expected, IReadOnlyList<Diagnostic> actual, string what)
    {
        var remaining = actual.ToList();
        var missing = new List<DiagnosticResult>();
        foreach (var result in expected)
        {
            var match = remaining.FirstOrDefault(d => Matches(result, d));
            if (match is null)
            {
                missing.Add(result);
            }
            else
            {
                remaining.Remove(match);
            }
        }

        if (missing.Count == 0 && remaining.Count == 0)
        {
            return;
        }

        var message = new StringBuilder($"The {what} differ from the expected ones.\n");
        foreach (var result in missing)
        {
            message.Append("  expected but not reported: ").Append(result).Append('\n');
        }

        foreach (var diagnostic in remaining)
        {
            message.Append("  reported but not expected: ").Append(Describe(diagnostic)).Append('\n');
        }

        message.Append("All reported:\n");
        foreach (var diagnostic in actual)
        {
            message.Append("  ").Append(Describe(diagnostic)).Append('\n');
        }

        throw new XunitException(message.ToString());
    }

    private static bool Matches(DiagnosticResult expected, Diagnostic actual)
    {
        if (expected.Id != actual.Id)
        {
            return false;
        }

        if (expected.Span is { } span && (actual.Location.SourceSpan != span || (expected.Path is { } path && actual.Location.GetLineSpan().Path != path)))
        {
            return false;
        }

        if (expected.Severity is { } severity && actual.Severity != severity)
        {
            return false;
        }

        var message = actual.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        if (expected.Message is not null && message != expected.Message)
        {
            return false;
        }

        if (expected.Arguments is { } arguments
            && message != string.Format(System.Globalization.CultureInfo.InvariantCulture, actual.Descriptor.MessageFormat.ToString(System.Globalization.CultureInfo.InvariantCulture), arguments))
        {
            return false;
        }

        return true;
    }

    internal static string Describe(Diagnostic diagnostic)
    {
        var line = diagnostic.Location.GetLineSpan();
        var text = diagnostic.Location.SourceTree?.GetText().ToString(diagnostic.Location.SourceSpan);
        return $"{diagnostic.Id} {diagnostic.Severity} {Path.GetFileName(line.Path)}({line.StartLinePosition.Line + 1},{line.StartLinePosition.Character + 1}) span {diagnostic.Location.SourceSpan}"
            + (text is null ? string.Empty : $" on `{text}`")
            + $": {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    // ---- Code fixes ------------------------------------------------------------------------------------

    private async Task<ImmutableArray<Diagnostic>> FixableDiagnosticsAsync(Project project, CancellationToken cancellationToken)
    {
        var (_, analyzer) = await TestProject.GetDiagnosticsAsync(project, Analyzers, cancellationToken);
        return analyzer.Where(d => CodeFix!.FixableDiagnosticIds.Contains(d.Id) && d.Location.IsInSource && (ComparedRuleIds is null || ComparedRuleIds.Contains(d.Id)))
            .OrderBy(d => d.Location.SourceTree!.FilePath, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .ToImmutableArray();
    }

    private async Task<List<CodeAction>> ActionsForAsync(Project project, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var document = project.GetDocument(diagnostic.Location.SourceTree)!;
        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), cancellationToken);
        await CodeFix!.RegisterCodeFixesAsync(context);
        return actions.SelectMany(a => a.NestedActions.IsEmpty ? new[] { a } : a.NestedActions.ToArray()).ToList();
    }

    private CodeAction? Choose(IReadOnlyList<CodeAction> actions)
    {
        if (CodeActionEquivalenceKey is { } key)
        {
            return actions.FirstOrDefault(a => a.EquivalenceKey == key);
        }

        return CodeActionIndex < actions.Count ? actions[CodeActionIndex] : null;
    }

    private async Task<Project> FixOneAtATimeAsync(Project project, CancellationToken cancellationToken)
    {
        var first = true;
        for (var iteration = 0; iteration < 100; iteration++)
        {
            var fixable = await FixableDiagnosticsAsync(project, cancellationToken);
            CodeAction? action = null;
            foreach (var diagnostic in fixable)
            {
                var actions = await ActionsForAsync(project, diagnostic, cancellationToken);
                if (first && ExpectedActionTitles is { } titles)
                {
                    Assert.Equal(titles, actions.Select(a => a.Title).ToList());
                }

                first = false;
                action = Choose(actions);
                if (action is not null)
                {
                    break;
                }
            }

            if (action is null)
            {
                if (iteration == 0)
                {
                    throw new XunitException("No code action was offered for any fixable diagnostic.");
                }

                return project;
            }

            project = await ApplyAsync(project, action, cancellationToken);
        }

        throw new XunitException("The code fix did not converge after 100 iterations.");
    }

    private async Task<Project> FixAllAsync(Project project, CancellationToken cancellationToken)
    {
        var fixable = await FixableDiagnosticsAsync(project, cancellationToken);
        var fixAllProvider = CodeFix!.GetFixAllProvider() ?? throw new XunitException("The code fix has no Fix All provider.");
        foreach (var diagnostic in fixable)
        {
            var action = Choose(await ActionsForAsync(project, diagnostic, cancellationToken));
            if (action is null)
            {
                continue;
            }

            var document = project.GetDocument(diagnostic.Location.SourceTree)!;
            var context = new FixAllContext(
                document,
                CodeFix,
                FixAllScope.Document,
                action.EquivalenceKey,
                CodeFix.FixableDiagnosticIds,
                new TestDiagnosticProvider(this),
                cancellationToken);
            var fixAllAction = await fixAllProvider.GetFixAsync(context) ?? throw new XunitException("Fix All offered no action.");
            return await ApplyAsync(project, fixAllAction, cancellationToken);
        }

        throw new XunitException("No code action was offered for Fix All.");
    }

    private static async Task<Project> ApplyAsync(Project project, CodeAction action, CancellationToken cancellationToken)
    {
        var operations = await action.GetOperationsAsync(cancellationToken);
        var apply = operations.OfType<ApplyChangesOperation>().Single();
        return apply.ChangedSolution.GetProject(project.Id)!;
    }

    private async Task VerifyFixedAsync(Project fixedProject, (string Source, IReadOnlyList<MarkedSpan> Spans) expected, ImmutableArray<Diagnostic> originalCompiler, string what, CancellationToken cancellationToken)
    {
        var document = fixedProject.Documents.Single(d => d.Name == "Test0.cs");
        var actual = (await document.GetTextAsync(cancellationToken)).ToString();
        if (actual != expected.Source)
        {
            throw new XunitException($"The {what} produced different code.\n--- expected ---\n{expected.Source}\n--- actual ---\n{actual}\n---");
        }

        var (compiler, analyzer) = await TestProject.GetDiagnosticsAsync(fixedProject, Analyzers, cancellationToken);
        var before = originalCompiler.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Id + d.GetMessage()).ToHashSet();
        var newErrors = compiler.Where(d => d.Severity == DiagnosticSeverity.Error && !before.Contains(d.Id + d.GetMessage())).ToList();
        if (newErrors.Count > 0)
        {
            throw new XunitException($"The code after {what} does not compile:\n" + string.Join("\n", newErrors.Select(Describe)) + "\n" + actual);
        }

        // After the fix only the fixed source's own markup counts.
        var remaining = Expected(new[] { expected }, includeExplicit: false).ToList();
        Compare(remaining, Select(compiler, analyzer, remaining), $"diagnostics after {what}");
    }

    private async Task VerifyNoActionOfferedAsync(Project project, ImmutableArray<Diagnostic> analyzer, CancellationToken cancellationToken)
    {
        foreach (var diagnostic in analyzer.Where(d => CodeFix!.FixableDiagnosticIds.Contains(d.Id)))
        {
            var actions = await ActionsForAsync(project, diagnostic, cancellationToken);
            if (actions.Count > 0)
            {
                throw new XunitException($"Expected no code action for {Describe(diagnostic)}, but got: " + string.Join(", ", actions.Select(a => a.Title)));
            }
        }
    }

    private sealed class TestDiagnosticProvider : FixAllContext.DiagnosticProvider
    {
        private readonly QueryGuardTest _test;

        public TestDiagnosticProvider(QueryGuardTest test) => _test = test;

        public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
        {
            var tree = await document.GetSyntaxTreeAsync(cancellationToken);
            var all = await _test.FixableDiagnosticsAsync(document.Project, cancellationToken);
            return all.Where(d => d.Location.SourceTree == tree);
        }

        public override async Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            (await _test.FixableDiagnosticsAsync(project, cancellationToken)).Where(d => !d.Location.IsInSource);

        public override async Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            await _test.FixableDiagnosticsAsync(project, cancellationToken);
    }
}
