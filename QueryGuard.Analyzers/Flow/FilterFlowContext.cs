using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using QueryGuard.Model;

namespace QueryGuard.Flow;

/// <summary>What one flow analysis needs: the filter builder, helper summaries, and which helpers it is inside.</summary>
internal sealed class FilterFlowContext
{
    public FilterFlowContext(FilterModelBuilder builder, HelperSummaries helpers, ImmutableStack<IMethodSymbol> callers, CancellationToken cancellationToken)
    {
        Builder = builder;
        Helpers = helpers;
        Callers = callers;
        CancellationToken = cancellationToken;
    }

    public FilterModelBuilder Builder { get; }

    public HelperSummaries Helpers { get; }

    /// <summary>The helpers being summarised around this analysis, innermost first (guards recursion and depth).</summary>
    public ImmutableStack<IMethodSymbol> Callers { get; }

    public CancellationToken CancellationToken { get; }
}
