using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using QueryGuard.Driver;
using QueryGuard.Model;

namespace QueryGuard.Rules;

/// <summary>
/// QG1002: a write whose filter is targeted on most paths and empty on one: built conditionally
/// (<c>var f = Empty; if (c) f &amp;= …</c>), a client-side condition inside an Or (<c>x =&gt; id == null || x.Ws == id</c>
/// renders <c>{}</c> when <c>id</c> is null), <c>And(list)</c> over a list every <c>Add</c> of which is conditional, or
/// a helper that can return <c>Empty</c>. Both incidents QueryGuard exists for came from such a path.
/// </summary>
internal static class EmptyOnSomePathRules
{
    public static IEnumerable<Diagnostic> Evaluate(OperationFacts facts)
    {
        // An always-empty filter is QG1001's finding.
        if (!facts.Operation.Kind.IsWrite() || facts.Filter is EmptyFilter || EmptyWhen(facts.Filter) is not { } condition)
        {
            yield break;
        }

        yield return facts.Create(
            Descriptors.WriteFilterEmptyOnSomePath,
            facts.Operation.DisplayName,
            facts.CollectionName,
            condition.Length > 0 ? condition : "one code path leaves the filter empty");
    }

    /// <summary>When the filter matches every document: the path's condition, "" when it always does, null when never.</summary>
    internal static string? EmptyWhen(FilterNode filter)
    {
        switch (filter)
        {
            case EmptyFilter:
                return string.Empty;
            case ClientCondition { Value: null } client:
                // x => flag renders {} when flag is true.
                return client.Text;
            case ChoiceFilter choice:
                foreach (var path in choice.Paths)
                {
                    if (EmptyWhen(path.Filter) is { } inner)
                    {
                        return Combine(path.Condition, inner);
                    }
                }

                return null;
            case OrFilter or:
                // One branch that matches everything widens the whole Or.
                foreach (var operand in or.Operands)
                {
                    if (EmptyWhen(operand) is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case AndFilter and:
                // Empty only when every conjunct can be empty at once.
                string? combined = null;
                foreach (var operand in and.Operands)
                {
                    if (EmptyWhen(operand) is not { } inner)
                    {
                        return null;
                    }

                    combined = combined is null ? inner : Combine(combined, inner);
                }

                return combined;
            default:
                return null;
        }
    }

    private static string Combine(string first, string second) =>
        first.Length == 0 ? second : second.Length == 0 || second == first ? first : first + " and " + second;
}
