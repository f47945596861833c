using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Text;
using Microsoft.CodeAnalysis;

namespace QueryGuard.Tests.Robustness;

/// <summary>Settings of a mutation run, from the environment so a larger run needs no code change.</summary>
public sealed record MutationSettings(int Seed, int Mutations, int? Only)
{
    /// <summary>Mutations in CI; <c>QUERYGUARD_MUTATIONS</c> overrides.</summary>
    public const int DefaultMutations = 3000;

    public const int DefaultSeed = 20261121;

    public static MutationSettings FromEnvironment() => new(
        Int("QUERYGUARD_MUTATION_SEED") ?? DefaultSeed,
        Int("QUERYGUARD_MUTATIONS") ?? DefaultMutations,
        Int("QUERYGUARD_MUTATION_ONLY"));

    private static int? Int(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out var value) ? value : null;
}

/// <summary>One mutated project: which corpus entry, which document, what was done to it.</summary>
public sealed record MutationCase(int Index, int Seed, CorpusEntry Entry, int EntryIndex, int DocumentIndex, string Text, IReadOnlyList<Mutation> Mutations)
{
    /// <summary>Everything needed to read and replay the case.</summary>
    public string Describe() =>
        $"mutation #{Index} (seed {Seed}; replay: QUERYGUARD_MUTATION_SEED={Seed} QUERYGUARD_MUTATION_ONLY={Index} dotnet test QueryGuard.Tests --filter Category=Robustness)\n"
        + $"source #{EntryIndex} '{Entry.Name}', document {DocumentIndex}, mutations: {string.Join(", ", Mutations)}\n"
        + "--- mutated text ---\n" + Mutator.Numbered(Text) + "---";
}

/// <summary>
/// Derives mutation <c>i</c> of a run from <c>Random(seed, i)</c> alone, so any single case is replayed without the
/// others (<see cref="MutationSettings.Only"/>), and runs the analyzers and every code fix on each case.
/// </summary>
public sealed class MutationRun
{
    private readonly RobustnessHarness _harness;
    private readonly ImmutableArray<CorpusEntry> _corpus;
    private readonly ConcurrentDictionary<int, Project> _projects = new();

    public MutationRun(RobustnessHarness harness, ImmutableArray<CorpusEntry> corpus)
    {
        _harness = harness;
        _corpus = corpus;
    }

    public int Cases;
    public readonly RunCounts Counts = new();
    public readonly ConcurrentDictionary<MutationKind, int> Kinds = new();

    public MutationCase Case(int seed, int index)
    {
        var random = new Random(Mix(seed, index, 0));
        var entryIndex = index % _corpus.Length;
        var entry = _corpus[entryIndex];

        // Mutate a C# file that has code in it (not a global-usings line).
        var candidates = Enumerable.Range(0, entry.Sources.Length).Where(i => entry.Sources[i].Length > 200 || entry.Sources.Length == 1).ToList();
        var documentIndex = candidates[random.Next(candidates.Count)];
        var count = random.Next(10) switch { < 6 => 1, < 9 => 2, _ => 3 };
        var (text, mutations) = Mutator.MutateCSharp(entry.Sources[documentIndex], random, count);
        return new MutationCase(index, seed, entry, entryIndex, documentIndex, text, mutations);
    }

    /// <summary>Runs cases <paramref name="indexes"/>; returns failures (at most <paramref name="maxFailures"/>).</summary>
    public async Task<IReadOnlyList<string>> RunAsync(int seed, IEnumerable<int> indexes, int maxFailures = 5, CancellationToken cancellationToken = default)
    {
        var failures = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(
            indexes,
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken },
            async (index, ct) =>
            {
                if (failures.Count >= maxFailures)
                {
                    return;
                }

                var mutation = Case(seed, index);
                try
                {
                    var baseProject = _projects.GetOrAdd(mutation.EntryIndex, _ => RobustnessHarness.CreateProject(mutation.Entry));
                    var documentId = baseProject.DocumentIds[mutation.DocumentIndex];
                    var project = RobustnessHarness.WithText(baseProject, documentId, mutation.Text);

                    // Fix All is the expensive part; every fourth case runs it.
                    var counts = await _harness.RunAsync(project, compileFixes: false, fixAll: index % 4 == 0, new[] { documentId }, ct);
                    Counts.Add(counts);
                    Interlocked.Increment(ref Cases);
                    foreach (var kind in mutation.Mutations.Select(m => m.Kind))
                    {
                        Kinds.AddOrUpdate(kind, 1, (_, n) => n + 1);
                    }
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    failures.Add(mutation.Describe() + "\n--- failure ---\n" + exception);
                }
            });

        return failures.OrderBy(f => f, StringComparer.Ordinal).ToList();
    }

    public string Summary(int seed, TimeSpan elapsed) =>
        new StringBuilder()
            .Append($"Robustness: {Cases} mutations (seed {seed}) of {_corpus.Length} sources in {elapsed.TotalSeconds:F0}s; ")
            .Append($"{Counts.Diagnostics} diagnostics, {Counts.FixableDiagnostics} fixable, {Counts.Actions} code actions computed, {Counts.FixAlls} Fix Alls; ")
            .Append("kinds: ").Append(string.Join(", ", Kinds.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}")))
            .ToString();

    public static Stopwatch Start() => Stopwatch.StartNew();

    /// <summary>
    /// The seed of case <paramref name="index"/> of a run (<paramref name="stream"/> separates the kinds of run). Not
    /// <see cref="HashCode"/>, whose seed differs per process: a case must replay in another process.
    /// </summary>
    public static int Mix(int seed, int index, int stream)
    {
        var x = unchecked(((ulong)(uint)seed << 32) ^ (uint)index ^ ((ulong)stream << 56));
        x = unchecked((x ^ (x >> 30)) * 0xbf58476d1ce4e5b9UL);
        x = unchecked((x ^ (x >> 27)) * 0x94d049bb133111ebUL);
        return unchecked((int)(x ^ (x >> 31)));
    }
}
