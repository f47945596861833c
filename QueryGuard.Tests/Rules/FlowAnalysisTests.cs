using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using QueryGuard.Flow;
using QueryGuard.Tests.Verification;
using static QueryGuard.Tests.Rules.ShardingScenario;

namespace QueryGuard.Tests.Rules;

/// <summary>The same flow facts feed the shard-key rules; and the analysis stays linear in the number of branches.</summary>
public class FlowAnalysisTests
{
    private static readonly Verify Broadcast = new(RuleIdentifiers.OperationOmitsShardKey);

    [Theory]
    [InlineData(
        "var f = B.Eq(x => x.Name, name); if (ids.Count > 0) { f &= B.Eq(x => x.WorkspaceId, workspaceId); } _boards.Find([|f|]).ToList();",
        "var f = B.Eq(x => x.Name, name); if (ids.Count > 0) { f &= B.Eq(x => x.Closed, true); } f &= B.Eq(x => x.WorkspaceId, workspaceId); _boards.Find(f).ToList();")]
    [InlineData(
        "var f = B.Eq(x => x.Name, name); _boards.Find([|f|]).ToList();",
        "var f = B.Eq(x => x.WorkspaceId, workspaceId); _boards.Find(f).ToList();")]
    [InlineData(
        "var filters = new List<FilterDefinition<Board>> { B.Eq(x => x.Name, name) }; if (from > DateTime.MinValue) filters.Add(B.Eq(x => x.WorkspaceId, workspaceId)); _boards.Find([|B.And(filters)|]).ToList();",
        "var filters = new List<FilterDefinition<Board>> { B.Eq(x => x.WorkspaceId, workspaceId) }; if (from > DateTime.MinValue) filters.Add(B.Eq(x => x.Name, name)); _boards.Find(B.And(filters)).ToList();")]
    public async Task FilterBuiltInSteps_ThatNeverGetsTheKey_IsBroadcast_AndOneThatAlwaysDoes_IsNot(string positive, string negative)
    {
        await Broadcast.DiagnosticsAsync(Code(positive), config: Config);
        await Broadcast.NoDiagnosticsAsync(Code(negative), config: Config);
    }

    [Theory]
    [InlineData(30)]
    [InlineData(60)]
    public async Task ManySequentialIfs_AreAnalysedInLinearTime(int branches)
    {
        var (transfers, blocks, reported) = await AnalyseSequentialIfs(branches);

        // Each block is interpreted a bounded number of times (the alternatives per variable are capped), so the work
        // per block does not grow with the number of branches: 2^branches paths would be ~10^9 at 30.
        Assert.True(transfers <= blocks * 6, $"{transfers} operations interpreted for {blocks} blocks");
        Assert.True(reported, "the empty path is still found");
    }

    [Fact]
    public async Task DoublingTheBranches_AtMostDoublesTheWork()
    {
        var (small, _, _) = await AnalyseSequentialIfs(30);
        var (large, _, _) = await AnalyseSequentialIfs(60);

        Assert.InRange(large / (double)small, 1.5, 2.5);
    }

    [Theory]
    // The method's graph is built only where the flow analysis can answer: a local holding a filter, a predicate
    // expression or a list of filters, anywhere in the filter or in a later predicate of a LINQ chain.
    [InlineData("var f = B.Eq(x => x.Name, name); _boards.Find(f).ToList();", "Graph")]
    [InlineData("var l = new List<FilterDefinition<Board>>(); _boards.Find(B.And(l)).ToList();", "Graph")]
    [InlineData("System.Linq.Expressions.Expression<Func<Board, bool>> p = x => x.Closed; _boards.AsQueryable().Where(x => x.Name == name).Where(p).ToList();", "Graph")]
    // Locals the analysis never holds a value for: a string, a list of ids, the filter builder; and lambdas.
    [InlineData("var n = name; _boards.Find(B.Eq(x => x.Name, n)).ToList();", "None")]
    [InlineData("var some = ids.ToList(); _boards.Find(B.In(x => x.Name, some)).ToList();", "None")]
    [InlineData("var b = Builders<Board>.Filter; _boards.Find(b.Eq(x => x.Name, name)).ToList();", "None")]
    [InlineData("var n = name; _boards.AsQueryable().Where(x => x.Name == name).Where(x => x.Name == n).ToList();", "None")]
    // A call to a method of the compilation is summarised without the graph.
    [InlineData("FilterDefinition<Board> Named(string n) => B.Eq(x => x.Name, n); var n = name; _boards.Find(Named(n)).ToList();", "Helpers")]
    public async Task TheGraphIsBuilt_OnlyForLocalsTheFlowAnalysisFollows(string statements, string expected)
    {
        var (model, method, queryGuard) = await CompileRun(statements);

        // The outermost recognised operation: the Find call, or the last step of the LINQ chain.
        var mongo = method.DescendantNodes().OfType<InvocationExpressionSyntax>()
            .Select(call => queryGuard.Operations.Recognize(model.GetOperation(call)!))
            .First(operation => operation is not null)!;

        Assert.Equal(expected, QueryGuard.Rules.MongoOperationAnalyzer.NeedsFlow(mongo, queryGuard.Symbols).ToString());
    }

    /// <summary>A method with <paramref name="branches"/> sequential <c>if (cN) f &amp;= Eq(...)</c> before a write.</summary>
    private static async Task<(int Transfers, int Blocks, bool Reported)> AnalyseSequentialIfs(int branches)
    {
        var body = new StringBuilder("var f = W.Empty;\n");
        for (var i = 0; i < branches; i++)
        {
            body.Append($"if (ids.Count > {i}) {{ f &= W.Eq(x => x.Name, ids[{i}]); }}\n");
        }

        body.Append("_workspaces.DeleteMany(f);\n");
        var (model, method, queryGuard) = await CompileRun(body.ToString());
        var graph = ControlFlowGraph.Create((IMethodBodyOperation)model.GetOperation(method)!);
        var analysis = queryGuard.Flow.Analyze(graph, CancellationToken.None);

        var call = method.DescendantNodes().OfType<InvocationExpressionSyntax>().Last(i => i.ToString().StartsWith("_workspaces.DeleteMany", StringComparison.Ordinal));
        var mongo = queryGuard.Operations.Recognize(model.GetOperation(call)!)!;
        var filter = queryGuard.Filters.With(analysis.ResolverAt(call)).Build(mongo.Filter, mongo.DocumentType);
        var reported = QueryGuard.Rules.EmptyOnSomePathRules.EmptyWhen(filter) is not null;
        return (analysis.Transfers, graph.Blocks.Length, reported);
    }

    /// <summary>The scenario with <paramref name="statements"/> in <c>Repository.Run</c>, compiled without errors.</summary>
    private static async Task<(SemanticModel Model, MethodDeclarationSyntax Run, QueryGuardCompilation QueryGuard)> CompileRun(string statements)
    {
        var compilation = (await TestProject.Create(new[] { Code(statements) }).GetCompilationAsync())!;
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var tree = compilation.SyntaxTrees.Single();
        var run = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Single(m => m.Identifier.Text == "Run");
        return (compilation.GetSemanticModel(tree), run, QueryGuardCompilation.TryCreate(compilation, QueryGuard.Configuration.QueryGuardConfiguration.Empty)!);
    }
}
