using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using QueryGuard.CodeFixes;
using QueryGuard.Tests.Verification;
using Xunit.Abstractions;

namespace QueryGuard.Tests.Robustness;

/// <summary>
/// Issue 9: no analyzer exception (AD0001) and no code-fix exception on the half-typed code an IDE sees. Every source
/// of the tests and the sample is mutated (tokens deleted, swapped, inserted, lines duplicated or deleted, closing
/// braces removed, text truncated); every analyzer runs with exceptions surfaced and every code fix runs on every
/// diagnostic. <c>QUERYGUARD_MUTATIONS=50000 dotnet test QueryGuard.Tests --filter Category=Robustness</c> runs a
/// larger number; a failure prints the seed, the case, the mutations and the mutated text, and the command that
/// replays that case alone.
/// </summary>
[Trait("Category", "Robustness")]
public class MutationTests
{
    private readonly ITestOutputHelper _output;

    public MutationTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Corpus_HasTheTestSourcesTheSampleAndTheHandWrittenOnes()
    {
        var corpus = Corpus.Entries;
        Report($"Robustness corpus: {corpus.Length} sources ({corpus.Sum(e => e.Sources.Length)} C# files) from {Corpus.TestFiles} test files, the sample and 3 hand-written projects; {Corpus.ConfigurationTexts.Length} JSON configurations");
        Assert.Contains(corpus, e => e.Name.StartsWith("sample", StringComparison.Ordinal));
        Assert.Contains(corpus, e => e.Name == "everything");
        Assert.True(corpus.Length > 300, $"only {corpus.Length} sources collected");
        Assert.True(Corpus.ConfigurationTexts.Length > 10, $"only {Corpus.ConfigurationTexts.Length} configurations collected");
    }

    [Fact]
    public async Task UnmutatedCorpus_EveryFixAndFixAll_LeavesNoNewCompilerError()
    {
        var harness = new RobustnessHarness();
        var counts = new RunCounts();
        var watch = MutationRun.Start();
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, Corpus.Entries.Length),
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            async (i, ct) =>
            {
                var entry = Corpus.Entries[i];
                try
                {
                    counts.Add(await harness.RunAsync(RobustnessHarness.CreateProject(entry), compileFixes: true, fixAll: true, cancellationToken: ct));
                }
                catch (Exception exception)
                {
                    failures.Add($"source #{i} '{entry.Name}':\n{exception}");
                }
            });

        Report($"Robustness fixes on the unmutated corpus: {Corpus.Entries.Length} sources, {counts.Diagnostics} diagnostics, {counts.FixableDiagnostics} fixable, "
            + $"{counts.Actions} code actions applied, {counts.FixAlls} Fix Alls, {counts.CompiledFixes} fixed projects compiled with no new error, in {watch.Elapsed.TotalSeconds:F0}s");
        Assert.True(failures.IsEmpty, string.Join("\n\n", failures.Take(5)));
        Assert.True(counts.Actions > 50, $"only {counts.Actions} code actions were applied");
        Assert.True(counts.FixAlls > 10, $"only {counts.FixAlls} Fix Alls ran");
    }

    /// <summary>Fix All across one document with many findings: every QG1001 fixed at once, and the result compiles.</summary>
    [Fact]
    public async Task FixAll_OnADocumentWithManyFindings_FixesThemAllAndCompiles()
    {
        var harness = new RobustnessHarness();
        var project = RobustnessHarness.CreateProject(Corpus.Entries.Single(e => e.Name == "many findings"));
        var (compilation, before) = await harness.AnalyzeAsync(project, concurrent: false);
        var errorsBefore = RobustnessHarness.Errors(compilation, default);
        var findings = before.Count(d => d.Id == RuleIdentifiers.WriteMatchesEveryDocument);

        var fixedProject = await harness.FixAllInDocumentAsync(project, new TargetDocumentCodeFix(), project.DocumentIds[0], TargetDocumentCodeFix.FilterOnIdKey);
        var (fixedCompilation, after) = await harness.AnalyzeAsync(fixedProject, concurrent: false);

        Report($"Robustness: Fix All fixed {findings} QG1001 findings in one document at once");
        Assert.True(findings >= 20, $"only {findings} QG1001 findings");
        Assert.DoesNotContain(after, d => d.Id == RuleIdentifiers.WriteMatchesEveryDocument);
        Assert.Empty(RobustnessHarness.Errors(fixedCompilation, default).Except(errorsBefore));
    }

    [Fact]
    public async Task MutatedSources_NoAnalyzerOrCodeFixThrows()
    {
        var settings = MutationSettings.FromEnvironment();
        var run = new MutationRun(new RobustnessHarness(), Corpus.Entries);
        var watch = MutationRun.Start();
        var indexes = settings.Only is { } only ? new[] { only } : Enumerable.Range(0, settings.Mutations);
        var failures = await run.RunAsync(settings.Seed, indexes, maxFailures: 5);
        Report(run.Summary(settings.Seed, watch.Elapsed));
        Assert.True(failures.Count == 0, $"{failures.Count} mutation(s) made QueryGuard throw:\n\n" + string.Join("\n\n", failures));
        Assert.Equal(indexes.Count(), run.Cases);
    }

    [Fact]
    public void Mutations_AreReproducibleFromTheSeed()
    {
        var run = new MutationRun(new RobustnessHarness(), Corpus.Entries);
        for (var i = 0; i < 50; i++)
        {
            var first = run.Case(42, i);
            var again = run.Case(42, i);
            Assert.Equal(first.Text, again.Text);
            Assert.Equal(first.Mutations, again.Mutations);
        }

        Assert.NotEqual(run.Case(42, 7).Text, run.Case(43, 7).Text);

        // The same in every process (HashCode.Combine is seeded per process and would not replay).
        Assert.Equal(-1416081715, MutationRun.Mix(20261121, 125, 0));
    }

    // ---- The harness finds a planted exception ------------------------------------------------------------

    /// <summary>
    /// A probe analyzer planted next to QueryGuard's: it throws on a shape only half-typed code has (a MongoDB write
    /// call that does not bind). The mutation run must report it, with the case to replay. QueryGuard itself ships
    /// no such trap; this proves the harness surfaces what an analyzer throws rather than swallowing it.
    /// </summary>
    [Fact]
    public async Task PlantedAnalyzerException_IsCaughtAndReportedWithItsReplayCase()
    {
        var harness = new RobustnessHarness(TestProject.Analyzers.Add(new ThrowsOnBrokenWriteAnalyzer()));
        var run = new MutationRun(harness, Corpus.Entries);
        var failures = await run.RunAsync(MutationSettings.DefaultSeed, Enumerable.Range(0, 200), maxFailures: 1);

        Report($"Robustness: the planted analyzer exception was caught; first case:\n{failures.FirstOrDefault()?.Split("--- mutated text ---")[0]}");
        var failure = Assert.Single(failures.Take(1));
        Assert.Contains("planted: a write that does not bind", failure, StringComparison.Ordinal);
        Assert.Contains("QUERYGUARD_MUTATION_ONLY=", failure, StringComparison.Ordinal);
        Assert.Contains("--- mutated text ---", failure, StringComparison.Ordinal);

        // The printed case replays alone.
        var only = int.Parse(System.Text.RegularExpressions.Regex.Match(failure, "QUERYGUARD_MUTATION_ONLY=([0-9]+)").Groups[1].Value);
        var replayed = await new MutationRun(harness, Corpus.Entries).RunAsync(MutationSettings.DefaultSeed, new[] { only });
        Assert.Contains("planted: a write that does not bind", Assert.Single(replayed), StringComparison.Ordinal);
    }

    /// <summary>The same for a code fix whose action throws when its operations are computed.</summary>
    [Fact]
    public async Task PlantedCodeFixException_IsCaughtAndReported()
    {
        var harness = new RobustnessHarness(fixes: RobustnessHarness.AllCodeFixes.Add(new ThrowsOnBrokenDocumentFix()));
        var run = new MutationRun(harness, Corpus.Entries);
        var failures = await run.RunAsync(MutationSettings.DefaultSeed, Enumerable.Range(0, 200), maxFailures: 1);

        var failure = Assert.Single(failures.Take(1));
        Assert.Contains("planted: fix on a document with syntax errors", failure, StringComparison.Ordinal);
        Assert.Contains("QUERYGUARD_MUTATION_ONLY=", failure, StringComparison.Ordinal);
    }

    private void Report(string line) => RobustnessReport.Write(_output, line);

    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class ThrowsOnBrokenWriteAnalyzer : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Rule = new("PROBE01", "Probe", "Probe", "Probe", DiagnosticSeverity.Warning, true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterOperationAction(
                c =>
                {
                    if (c.Operation.Syntax.ToString().Contains("DeleteMany", StringComparison.Ordinal) && c.Operation.Parent is not IInvalidOperation)
                    {
                        throw new InvalidOperationException("planted: a write that does not bind");
                    }
                },
                OperationKind.Invalid);
        }
    }

    private sealed class ThrowsOnBrokenDocumentFix : CodeFixProvider
    {
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIdentifiers.WriteMatchesEveryDocument, RuleIdentifiers.WriteComparesWithNull);

        public override FixAllProvider? GetFixAllProvider() => null;

        public override Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            context.RegisterCodeFix(
                Microsoft.CodeAnalysis.CodeActions.CodeAction.Create(
                    "Probe",
                    async ct =>
                    {
                        var root = await context.Document.GetSyntaxRootAsync(ct);
                        if (root!.ContainsDiagnostics)
                        {
                            throw new InvalidOperationException("planted: fix on a document with syntax errors");
                        }

                        return context.Document;
                    },
                    "Probe"),
                context.Diagnostics);
            return Task.CompletedTask;
        }
    }
}
