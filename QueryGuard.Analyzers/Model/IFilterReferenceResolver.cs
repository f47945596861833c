using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace QueryGuard.Model;

/// <summary>The items of a list of filters on one code path.</summary>
internal sealed record FilterListPath(string Condition, ImmutableArray<FilterNode> Items);

/// <summary>
/// What the filter builder asks when it meets a reference it cannot see through by itself: a local, a flow
/// capture, a helper method's result, or a list of filters built at run time. Null means unknown.
/// </summary>
internal interface IFilterReferenceResolver
{
    FilterNode? Resolve(IOperation reference, ITypeSymbol documentType, int depth);

    ImmutableArray<FilterListPath>? ResolveList(IOperation reference, ITypeSymbol documentType, int depth);
}
