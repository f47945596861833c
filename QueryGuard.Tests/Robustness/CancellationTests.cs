using System.Diagnostics;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using QueryGuard.Configuration;
using QueryGuard.Driver;
using QueryGuard.Tests.Verification;
using Xunit.Abstractions;

namespace QueryGuard.Tests.Robustness;

/// <summary>Issue 9: analysis honours the cancellation token (an IDE cancels on every keystroke).</summary>
[Trait("Category", "Robustness")]
public class CancellationTests
{
    private readonly ITestOutputHelper _output;

    public CancellationTests(ITestOutputHelper output) => _output = output;

    /// <summary>
    /// <paramref name="methods"/> methods, each building a filter over <paramref name="branches"/> sequential ifs (deep
    /// flow) before several writes on fields set in the constructor: thousands of operations.
    /// </summary>
    public static string LargeSource(int methods, int branches)
    {
        var code = new StringBuilder("""
            using System.Collections.Generic;
            using MongoDB.Driver;

            public class Item { public string Id { get; set; } = ""; public string Name { get; set; } = ""; public int Rank { get; set; } }

            public class Large
            {
                private readonly IMongoCollection<Item> _items;
                public Large(IMongoDatabase db) { _items = db.GetCollection<Item>("items"); }

            """);
        for (var m = 0; m < methods; m++)
        {
            code.Append($"    public void Run{m}(List<bool> c, string id, UpdateDefinition<Item> update)\n    {{\n        var W = Builders<Item>.Filter;\n        var f = W.Empty;\n");
            for (var b = 0; b < branches; b++)
            {
                code.Append($"        if (c[{b}]) {{ f &= W.Eq(x => x.Name, id + \"{b}\"); }} else if (c[{b + 1}]) {{ f = f | W.Gt(x => x.Rank, {b}); }}\n");
            }

            code.Append("        _items.UpdateMany(f, update);\n        _items.DeleteMany(f & W.Eq(x => x.Id, id));\n        _items.Find(f).ToList();\n    }\n");
        }

        return code.Append("}\n").ToString();
    }

    [Fact]
    public async Task CancellingMidwayOnALargeFile_EndsPromptlyWithOperationCanceled()
    {
        var project = TestProject.Create(new[] { LargeSource(methods: 150, branches: 30) });
        var compilation = (await project.GetCompilationAsync())!;
        var harness = new RobustnessHarness();

        using var cancellation = new CancellationTokenSource();
        var watch = Stopwatch.StartNew();
        var cancelledAt = TimeSpan.Zero;
        _ = Task.Run(async () =>
        {
            await Task.Delay(500);
            cancelledAt = watch.Elapsed;
            cancellation.Cancel();
        });

        // Only OperationCanceledException: an analyzer exception would be a RobustnessFailure.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.AnalyzeAsync(compilation, project.AnalyzerOptions, concurrent: true, cancellation.Token));
        var afterCancel = watch.Elapsed - cancelledAt;
        RobustnessReport.Write(_output, $"Robustness: analysis of a {compilation.SyntaxTrees.Single().GetText().Lines.Count}-line file cancelled after {cancelledAt.TotalMilliseconds:F0} ms ended {afterCancel.TotalMilliseconds:F0} ms later");
        Assert.True(cancelledAt > TimeSpan.Zero, "the analysis finished before it was cancelled: make the file larger");
        Assert.True(afterCancel < TimeSpan.FromSeconds(10), $"the analysis took {afterCancel} to stop after cancellation");
    }

    /// <summary>The flow analysis, the filter model and the collection binding each throw on a cancelled token.</summary>
    [Fact]
    public async Task FlowModelAndBinding_ObserveTheToken()
    {
        var project = TestProject.Create(new[] { LargeSource(methods: 1, branches: 10) });
        var compilation = (await project.GetCompilationAsync())!;
        var queryGuard = QueryGuardCompilation.TryCreate(compilation, QueryGuardConfiguration.Empty)!;
        var tree = compilation.SyntaxTrees.Single();
        var model = compilation.GetSemanticModel(tree);
        var method = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Single();
        var graph = ControlFlowGraph.Create((IMethodBodyOperation)model.GetOperation(method)!);
        var write = tree.GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>()
            .Select(i => model.GetOperation(i)).Select(o => o is null ? null : queryGuard.Operations.Recognize(o)).First(o => o is not null)!;
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => queryGuard.Flow.Analyze(graph, cancelled.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => queryGuard.Filters.Build(write.Filter, write.DocumentType, cancelled.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => queryGuard.Collections.GetCollectionName(write.Collection, cancelled.Token));

        // A cancelled run is not cached: the same calls then succeed.
        Assert.NotNull(queryGuard.Flow.Analyze(graph, CancellationToken.None));
        Assert.Equal("items", queryGuard.Collections.GetCollectionName(write.Collection, CancellationToken.None));
    }
}
