using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace QueryGuard.Rules;

/// <summary>QG1001-QG1005: updates and deletes that reach more documents than meant.</summary>
internal static class UnscopedWriteRules
{
    public static IEnumerable<Diagnostic> Evaluate(OperationFacts facts) => Enumerable.Empty<Diagnostic>();
}
