using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace QueryGuard.Rules;

/// <summary>QG2001-QG2005 and QG1006: operations on sharded or scoped collections that do not pin their key.</summary>
internal static class BroadcastRules
{
    public static IEnumerable<Diagnostic> Evaluate(OperationFacts facts) => Enumerable.Empty<Diagnostic>();
}
