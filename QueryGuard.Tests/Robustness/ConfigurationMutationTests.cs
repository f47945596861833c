using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using QueryGuard.Tests.Rules;
using QueryGuard.Tests.Verification;
using Xunit.Abstractions;

namespace QueryGuard.Tests.Robustness;

/// <summary>
/// Issue 9, configuration: a mutated <c>queryguard.json</c>, <c>*.shardkeys.json</c> or <c>[ShardKey]</c>/<c>[ScopeKey]</c>
/// argument list gives QG0001 or nothing, never an exception, and never stops the other rules: the
/// <c>DeleteMany(Builders&lt;Session&gt;.Filter.Empty)</c> in the same compilation is still QG1001.
/// </summary>
[Trait("Category", "Robustness")]
public class ConfigurationMutationTests
{
    private const string Operations = """
        using MongoDB.Driver;

        namespace App
        {
            public sealed class Purge
            {
                public void Run(IMongoDatabase db, string id)
                {
                    var sessions = db.GetCollection<Session>("sessions");
                    sessions.DeleteMany(Builders<Session>.Filter.Empty);
                    db.GetCollection<Card>("cards").Find(c => c.Name == id);
                    db.GetCollection<Board>("boards").UpdateOne(b => b.Name == id, Builders<Board>.Update.Set(b => b.Name, id));
                }
            }
        }
        """;

    private const string Documents = """
        using QueryGuard;

        namespace App
        {
            public class Session { public string Id { get; set; } = ""; public string UserId { get; set; } = ""; public string TenantId { get; set; } = ""; }

            [ShardKey("BoardId", "Owner.Id", Hashed = true), ScopeKey("TenantId")]
            public class Card { public string Id { get; set; } = ""; public string BoardId { get; set; } = ""; public string TenantId { get; set; } = ""; public string Name { get; set; } = ""; public Owner Owner { get; set; } = new(); }

            [ShardKey(new[] { "WorkspaceId", "Id" }), ScopeKey(nameof(Board.WorkspaceId))]
            public class Board { public string Id { get; set; } = ""; public string WorkspaceId { get; set; } = ""; public string Name { get; set; } = ""; }

            public class Owner { public string Id { get; set; } = ""; }
        }
        """;

    private const string ValidConfig = """
        {
          "minServerVersion": "7.0",
          "elementNameConvention": "camelCase",
          "collections": {
            "sessions": { "documentType": "App.Session", "shardKey": { "userId": "hashed" }, "scopeKey": "tenantId", "uniqueKeys": [["userId"]] },
            "boards": { "documentType": "App.Board", "shardKey": { "workspaceId": 1, "_id": 1 } }
          },
          "elementNames": { "App.Session.TenantId": "tid" }
        }
        """;

    private const string ValidExport = """
        [ { "_id": "app.sessions", "key": { "userId": "hashed" }, "unique": false }, { "_id": "app.cards", "key": { "boardId": 1 } } ]
        """;

    private readonly ITestOutputHelper _output;

    public ConfigurationMutationTests(ITestOutputHelper output) => _output = output;

    private static int Count => Math.Max(100, MutationSettings.FromEnvironment().Mutations / 10);

    [Fact]
    public async Task MutatedConfigurationFiles_GiveQG0001OrNothing_AndQG1001StillFires()
    {
        var seed = MutationSettings.FromEnvironment().Seed;
        var pool = Corpus.ConfigurationTexts.AddRange(new[] { ValidConfig, ValidExport, ShardingScenario.Config, EverythingSources.Config, EverythingSources.ShardKeyExport, Corpus.SessionsConfig });
        var baseProject = TestProject.Create(
            new[] { Operations, Documents, EverythingSources.Attributes },
            additionalFiles: new Dictionary<string, string> { ["queryguard.json"] = ValidConfig, ["cluster.shardkeys.json"] = ValidExport });
        var config = baseProject.AdditionalDocuments.Single(d => d.Name == "queryguard.json").Id;
        var export = baseProject.AdditionalDocuments.Single(d => d.Name == "cluster.shardkeys.json").Id;
        var harness = new RobustnessHarness();
        var failures = new ConcurrentBag<string>();
        var qg0001 = 0;

        await Parallel.ForEachAsync(Enumerable.Range(0, Count), new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, async (i, ct) =>
        {
            var random = new Random(MutationRun.Mix(seed, i, 1));
            var target = random.Next(3) == 0 ? export : config;
            var text = pool[random.Next(pool.Length)];
            var details = new List<string>();
            for (var n = random.Next(1, 4); n > 0; n--)
            {
                var (mutated, detail) = Mutator.MutateJson(text, random);
                text = mutated;
                details.Add(detail);
            }

            var project = baseProject.Solution.WithAdditionalDocumentText(target, SourceText.From(text)).GetProject(baseProject.Id)!;
            var what = $"configuration mutation #{i} (seed {seed}) of {project.GetAdditionalDocument(target)!.Name}: {string.Join("; ", details)}\n--- text ---\n{text}\n---";
            try
            {
                var (_, diagnostics) = await harness.AnalyzeAsync(project, concurrent: false, ct);
                Check(diagnostics, what);
                Interlocked.Add(ref qg0001, diagnostics.Count(d => d.Id == RuleIdentifiers.InvalidConfiguration));
            }
            catch (Exception exception)
            {
                failures.Add(what + "\n" + exception);
            }
        });

        RobustnessReport.Write(_output, $"Robustness: {Count} configuration file mutations (seed {seed}) of {pool.Length} texts: {failures.Count} failures, {qg0001} QG0001 reported");
        Assert.True(failures.IsEmpty, string.Join("\n\n", failures.Take(5)));
    }

    [Fact]
    public async Task MutatedAttributeArguments_GiveQG0001OrNothing_AndQG1001StillFires()
    {
        var seed = MutationSettings.FromEnvironment().Seed;
        var attributeLists = CSharpSyntaxTree.ParseText(Documents).GetRoot().DescendantNodes().OfType<AttributeListSyntax>().Select(a => a.Span).ToList();
        var baseProject = TestProject.Create(new[] { Operations, Documents, EverythingSources.Attributes });
        var documents = baseProject.DocumentIds[1];
        var harness = new RobustnessHarness();
        var failures = new ConcurrentBag<string>();
        string[] arguments = { "null", "\"\"", "\".\"", "\"Owner..Id\"", "\"Owner.\"", "42", "typeof(Card)", "new string[0]", "new[] { \"Id\", null }", "Hashed = false", "Hashed = \"yes\"", "\"Id\", \"Id\"", "nameof(Missing)", "default", "\"Owner.Id.Length\"" };

        await Parallel.ForEachAsync(Enumerable.Range(0, Count), new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, async (i, ct) =>
        {
            var random = new Random(MutationRun.Mix(seed, i, 2));
            var span = attributeLists[random.Next(attributeLists.Count)];
            var list = Documents.Substring(span.Start, span.Length);
            string mutated;
            string detail;
            if (random.Next(2) == 0)
            {
                var result = Mutator.MutateCSharp(list, random, random.Next(1, 3));
                (mutated, detail) = (result.Text, string.Join(", ", result.Mutations));
            }
            else
            {
                // Arguments replaced with ones of the wrong type, shape or value.
                var open = list.IndexOf('(', StringComparison.Ordinal);
                var close = list.IndexOf(')', open + 1);
                var argument = arguments[random.Next(arguments.Length)];
                mutated = list.Substring(0, open + 1) + argument + list.Substring(close);
                detail = "arguments: " + argument;
            }

            var text = Documents.Substring(0, span.Start) + mutated + Documents.Substring(span.End);
            var project = RobustnessHarness.WithText(baseProject, documents, text);
            var what = $"attribute mutation #{i} (seed {seed}): {detail}\n--- attribute list ---\n{mutated}\n---";
            try
            {
                var (_, diagnostics) = await harness.AnalyzeAsync(project, concurrent: false, ct);
                Check(diagnostics, what);
            }
            catch (Exception exception)
            {
                failures.Add(what + "\n" + exception);
            }
        });

        RobustnessReport.Write(_output, $"Robustness: {Count} attribute argument mutations (seed {seed}): {failures.Count} failures");
        Assert.True(failures.IsEmpty, string.Join("\n\n", failures.Take(5)));
    }

    /// <summary>
    /// Diagnostics in configuration files and on document types are QG0001; the unscoped delete is still QG1001.
    /// </summary>
    private static void Check(ImmutableArray<Diagnostic> diagnostics, string what)
    {
        var inFiles = diagnostics.Where(d => d.Location.Kind == LocationKind.ExternalFile || d.Location.SourceTree?.FilePath.EndsWith("Test1.cs", StringComparison.Ordinal) == true).ToList();
        if (inFiles.FirstOrDefault(d => d.Id != RuleIdentifiers.InvalidConfiguration) is { } other)
        {
            throw new RobustnessFailure($"{what}\nreported {other.Id} in configuration: {other}");
        }

        if (!diagnostics.Any(d => d.Id == RuleIdentifiers.WriteMatchesEveryDocument && d.Location.SourceTree?.FilePath.EndsWith("Test0.cs", StringComparison.Ordinal) == true))
        {
            throw new RobustnessFailure($"{what}\nQG1001 on DeleteMany(Filter.Empty) is missing; reported:\n" + string.Join("\n", diagnostics));
        }
    }
}
