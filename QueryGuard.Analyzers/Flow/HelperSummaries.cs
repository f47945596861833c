using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using QueryGuard.Driver;
using QueryGuard.Model;

namespace QueryGuard.Flow;

/// <summary>
/// What a helper method in the compilation returns (<c>DeleteMany(ForUser(u))</c>): the union of its return values,
/// computed by the same flow analysis, to a bounded depth, once per method and compilation. Only non-virtual methods
/// and local functions declared in the calling file are followed (an analyzer may not ask for other files' semantic
/// models); everything else, and any recursion, is unknown.
/// </summary>
internal sealed class HelperSummaries
{
    private const int MaxDepth = 3;

    private readonly FilterModelBuilder _builder;
    private readonly ConcurrentDictionary<IMethodSymbol, FilterNode?> _summaries = new(SymbolEqualityComparer.Default);

    public HelperSummaries(FilterModelBuilder builder) => _builder = builder;

    public FilterNode? Summarize(IInvocationOperation call, ImmutableStack<IMethodSymbol> callers, CancellationToken cancellationToken)
    {
        var method = call.TargetMethod.OriginalDefinition;
        if (method.IsAbstract || method.IsVirtual || method.IsOverride || method.IsExtern
            || method.DeclaringSyntaxReferences.Length != 1
            || DocumentTypeOf(method.ReturnType) is not { } documentType
            || callers.Contains(method, SymbolEqualityComparer.Default)
            || callers.Count() >= MaxDepth)
        {
            return null;
        }

        if (_summaries.TryGetValue(method, out var known))
        {
            return known;
        }

        var summary = Compute(call, method, documentType, callers.Push(method), cancellationToken, out var complete);
        if (complete)
        {
            _summaries.TryAdd(method, summary);
        }

        return summary;
    }

    private FilterNode? Compute(IInvocationOperation call, IMethodSymbol method, ITypeSymbol documentType, ImmutableStack<IMethodSymbol> callers, CancellationToken cancellationToken, out bool complete)
    {
        complete = true;
        var model = call.SemanticModel;
        var syntax = method.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken);
        if (model is null || syntax.SyntaxTree != model.SyntaxTree)
        {
            return null;
        }

        // A helper that returns one expression and has no locals (`=> Eq(...) & Eq(...)`) needs no graph: its value
        // is that expression's model, calls to other helpers summarised the same way.
        if (ReturnedExpression(syntax) is { } returned
            && model.GetOperation(returned, cancellationToken) is { } value
            && !value.DescendantsAndSelf().Any(o => o is ILocalReferenceOperation or IFlowCaptureReferenceOperation))
        {
            var node = _builder.With(new HelperCalls(this, callers, cancellationToken)).Build(value, documentType, cancellationToken);
            complete = callers.Count() < MaxDepth;
            return FilterFlowAnalysis.ReturnedExpression(node);
        }

        var graph = GraphOf(model, syntax, method, cancellationToken);
        if (graph is null)
        {
            return null;
        }

        var context = new FilterFlowContext(_builder, this, callers, cancellationToken);
        var summary = FilterFlowAnalysis.Run(graph, context).ReturnedValue(documentType);

        // A result cut short by depth (not by the method itself) is not cached: another caller may see further.
        complete = callers.Count() < MaxDepth;
        return summary;
    }

    private static ExpressionSyntax? ReturnedExpression(SyntaxNode declaration)
    {
        var (arrow, body) = declaration switch
        {
            MethodDeclarationSyntax method => (method.ExpressionBody, method.Body),
            LocalFunctionStatementSyntax localFunction => (localFunction.ExpressionBody, localFunction.Body),
            _ => (null, null),
        };

        return arrow?.Expression
            ?? (body is { Statements.Count: 1 } && body.Statements[0] is ReturnStatementSyntax { Expression: { } returned } ? returned : null);
    }

    private static ControlFlowGraph? GraphOf(SemanticModel model, SyntaxNode syntax, IMethodSymbol method, CancellationToken cancellationToken)
    {
        switch (syntax)
        {
            case MethodDeclarationSyntax declaration when model.GetOperation(declaration, cancellationToken) is IMethodBodyOperation body:
                return ControlFlowGraph.Create(body, cancellationToken);
            case LocalFunctionStatementSyntax localFunction:
                var member = localFunction.Ancestors().FirstOrDefault(a => a is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax);
                if (member is null || model.GetOperation(member, cancellationToken) is not { } operation)
                {
                    return null;
                }

                var root = operation switch
                {
                    IMethodBodyOperation methodBody => ControlFlowGraph.Create(methodBody, cancellationToken),
                    IConstructorBodyOperation constructorBody => ControlFlowGraph.Create(constructorBody, cancellationToken),
                    _ => null,
                };
                return root is null ? null : FindLocalFunction(root, method, cancellationToken);
            default:
                return null;
        }
    }

    private static ControlFlowGraph? FindLocalFunction(ControlFlowGraph graph, IMethodSymbol method, CancellationToken cancellationToken)
    {
        foreach (var localFunction in graph.LocalFunctions)
        {
            var nested = graph.GetLocalFunctionControlFlowGraph(localFunction, cancellationToken);
            if (SymbolEqualityComparer.Default.Equals(localFunction, method))
            {
                return nested;
            }

            if (FindLocalFunction(nested, method, cancellationToken) is { } deeper)
            {
                return deeper;
            }
        }

        return null;
    }

    /// <summary>Resolves calls to helper methods through their summaries, and nothing else (no locals are in scope).</summary>
    internal sealed class HelperCalls : IFilterReferenceResolver
    {
        private readonly HelperSummaries _helpers;
        private readonly ImmutableStack<IMethodSymbol> _callers;
        private readonly CancellationToken _cancellationToken;

        public HelperCalls(HelperSummaries helpers, ImmutableStack<IMethodSymbol> callers, CancellationToken cancellationToken)
        {
            _helpers = helpers;
            _callers = callers;
            _cancellationToken = cancellationToken;
        }

        public FilterNode? Resolve(IOperation reference, ITypeSymbol documentType, int depth) =>
            reference is IInvocationOperation call ? _helpers.Summarize(call, _callers, _cancellationToken) : null;

        public ImmutableArray<FilterListPath>? ResolveList(IOperation reference, ITypeSymbol documentType, int depth) => null;
    }

    private ITypeSymbol? DocumentTypeOf(ITypeSymbol type) =>
        type is INamedTypeSymbol { TypeArguments.Length: 1 } named && DriverSymbols.Is(named, _builder.Symbols.FilterDefinition)
            ? named.TypeArguments[0]
            : null;
}
