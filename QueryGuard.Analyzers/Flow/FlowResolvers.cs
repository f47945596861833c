using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using QueryGuard.Model;

namespace QueryGuard.Flow;

/// <summary>
/// Finds the flow facts for an operation: the flow analysis of the graph (method, local function or lambda) that
/// contains it, computed once per graph and cached for the compilation.
/// </summary>
internal sealed class FlowResolvers
{
    private const int MaxNesting = 4;

    private readonly FilterModelBuilder _builder;
    private readonly HelperSummaries _helpers;
    private readonly ConditionalWeakTable<ControlFlowGraph, FilterFlowAnalysis> _analyses = new();

    public FlowResolvers(FilterModelBuilder builder)
    {
        _builder = builder;
        _helpers = new HelperSummaries(builder);
    }

    public HelperSummaries Helpers => _helpers;

    /// <summary>
    /// A resolver for the point where <paramref name="operation"/> runs. <paramref name="graph"/> is the enclosing
    /// body's graph; the operation may be inside one of its local functions or lambdas.
    /// </summary>
    public IFilterReferenceResolver For(IOperation operation, ControlFlowGraph? graph, CancellationToken cancellationToken)
    {
        if (graph is not null && Find(graph, operation.Syntax, 0, cancellationToken) is { } resolver)
        {
            return resolver;
        }

        // Outside any graph: only helper methods can be followed.
        return new HelperSummaries.HelperCalls(_helpers, ImmutableStack<IMethodSymbol>.Empty, cancellationToken);
    }

    public FilterFlowAnalysis Analyze(ControlFlowGraph graph, CancellationToken cancellationToken) =>
        // A cancelled run throws out of the factory and is not cached.
        _analyses.GetValue(graph, g => FilterFlowAnalysis.Run(g, new FilterFlowContext(_builder, _helpers, ImmutableStack<IMethodSymbol>.Empty, cancellationToken)));

    private IFilterReferenceResolver? Find(ControlFlowGraph graph, SyntaxNode syntax, int nesting, CancellationToken cancellationToken)
    {
        if (!graph.OriginalOperation.Syntax.Span.Contains(syntax.Span))
        {
            return null;
        }

        if (Analyze(graph, cancellationToken).ResolverAt(syntax) is { } resolver)
        {
            return resolver;
        }

        if (nesting >= MaxNesting)
        {
            return null;
        }

        foreach (var localFunction in graph.LocalFunctions)
        {
            if (Find(graph.GetLocalFunctionControlFlowGraph(localFunction, cancellationToken), syntax, nesting + 1, cancellationToken) is { } inLocalFunction)
            {
                return inLocalFunction;
            }
        }

        foreach (var block in graph.Blocks)
        {
            foreach (var lambda in block.Operations.SelectMany(o => o.DescendantsAndSelf()).OfType<IFlowAnonymousFunctionOperation>())
            {
                if (lambda.Syntax.Span.Contains(syntax.Span)
                    && Find(graph.GetAnonymousFunctionControlFlowGraph(lambda, cancellationToken), syntax, nesting + 1, cancellationToken) is { } inLambda)
                {
                    return inLambda;
                }
            }
        }

        return null;
    }
}
